import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildPrompt,
  commentSyntax,
  PREFIX_STEP_CHARS,
  type ContextSnippet,
  type PromptInput,
} from '../../../src/core/completion/prompt';
import { estimateTokens } from '../../../src/core/providers/usage';

/** Lines of uneven length, so a cut at a character limit would almost never land on a line boundary. */
function codeLines(count: number, tag = 'v'): string[] {
  return Array.from({ length: count }, (_, i) => `const ${tag}${i} = compute${i % 7}(${'x'.repeat(i % 13)});`);
}
const LONGEST_LINE = codeLines(13).reduce((max, line) => Math.max(max, line.length + 1), 0) + 4;
/** What the prefix may give up: its start moves in steps (for the backends' prompt caches), then to a line start. */
const PREFIX_SLACK = PREFIX_STEP_CHARS + LONGEST_LINE;

const CART_BLOCK = [
  'function applyDiscount(cartTotal, discountRate) {',
  '  return cartTotal.lineItems.reduce((sum, item) => sum + item.price, 0) * (1 - discountRate);',
  '}',
].join('\n');
const CURSOR_LINE = 'const discounted = applyDiscount(cartTotal, discountRate);';

/** A document with `before` lines, then the cart line and the cursor, then `after` lines. */
function documentAround(before: number, after: number): PromptInput {
  const head = `${codeLines(before).join('\n')}\n${CURSOR_LINE}\n`;
  return { text: `${head}\n${codeLines(after, 'w').join('\n')}\n`, offset: head.length, languageId: 'typescript' };
}

describe('buildPrompt budget', () => {
  it('gives the suffix at most its share, the prefix the rest, and stays within the total', () => {
    const input = documentAround(3_000, 3_000);
    const built = buildPrompt(input);
    assert.ok(estimateTokens(built.suffix) <= 375, `suffix ${estimateTokens(built.suffix)} tokens`);
    assert.ok(built.suffix.length > 375 * 4 - LONGEST_LINE, 'the suffix uses its share');
    assert.ok(built.promptTokens <= 1_500);
    assert.equal(built.promptTokens, estimateTokens(built.header + built.prefix + built.suffix));
    assert.ok(built.prefix.length > 6_000 - built.suffix.length - PREFIX_SLACK, 'the prefix takes the rest');
    assert.equal(built.prefix, input.text.slice(built.prefixStart, input.offset));
    assert.equal(built.suffix, input.text.slice(input.offset, built.suffixEnd));
  });

  it('hands the room a short suffix leaves over to the prefix', () => {
    const built = buildPrompt(documentAround(3_000, 2));
    assert.ok(built.suffix.length < 100);
    assert.ok(estimateTokens(built.prefix) > 1_400, `prefix only ${estimateTokens(built.prefix)} tokens`);
    assert.ok(built.promptTokens <= 1_500);
  });

  it('keeps at least half the budget for the prefix when the shares ask for more', () => {
    const input = { ...documentAround(3_000, 3_000), path: 'src/cart.ts', snippets: manyCandidates() };
    const built = buildPrompt(input, { maxPromptTokens: 1_000, suffixShare: 0.9, snippetShare: 0.9 });
    assert.ok(built.snippets.length > 0, 'snippets were offered and used');
    assert.ok(estimateTokens(built.suffix) <= 250 && estimateTokens(built.header) <= 250);
    assert.ok(built.prefix.length >= 2_000 - PREFIX_SLACK, `prefix only ${built.prefix.length} chars`);
    assert.ok(built.promptTokens <= 1_000);
  });

  it('cuts both windows at line boundaries', () => {
    const input = documentAround(400, 400);
    for (const offset of [input.offset, input.offset - 7, input.offset + 200, 5_000]) {
      const built = buildPrompt({ ...input, offset }, { maxPromptTokens: 300 });
      assert.ok(built.prefixStart > 0 && built.suffixEnd < input.text.length, 'the windows did cut');
      assert.equal(input.text[built.prefixStart - 1], '\n', `prefix at ${offset} starts mid-line`);
      assert.equal(input.text[built.suffixEnd - 1], '\n', `suffix at ${offset} ends mid-line`);
      assert.equal(built.prefix + built.suffix, input.text.slice(built.prefixStart, built.suffixEnd));
    }
  });

  it('cuts the cursor line mid-line when it alone is longer than its share, keeping the text by the cursor', () => {
    const head = `short line\n${'x'.repeat(20_000)}`;
    const text = `${head}${'y'.repeat(20_000)}\nlast line\n`;
    const built = buildPrompt({ text, offset: head.length, languageId: 'typescript' });
    assert.equal(built.suffix, 'y'.repeat(375 * 4));
    assert.equal(built.prefix, 'x'.repeat(6_000 - built.suffix.length));
    assert.equal(built.promptTokens, 1_500);
  });

  it('clamps the offset into the text', () => {
    const text = 'a\nb\n';
    assert.equal(buildPrompt({ text, offset: -5, languageId: 'c' }).suffix, text);
    assert.equal(buildPrompt({ text, offset: 99, languageId: 'c' }).prefix, text);
  });
});

/** Ten files sharing the cursor's identifiers, each long enough to need a 20-line window. */
function manyCandidates(): ContextSnippet[] {
  return Array.from({ length: 10 }, (_, i) => {
    const body = codeLines(40, `lib${i}_`).join('\n');
    return { path: `src/lib${i}.ts`, text: `${CART_BLOCK.replace('applyDiscount', `applyDiscount${i}`)}\n${body}` };
  });
}

describe('buildPrompt snippets and header', () => {
  it('keeps the header with its snippets within snippetShare, and the prefix pays for it', () => {
    const input = { ...documentAround(3_000, 3_000), path: 'src/cart.ts', snippets: manyCandidates() };
    const built = buildPrompt(input);
    assert.ok(built.snippets.length > 0);
    assert.ok(estimateTokens(built.header) <= 375, `header ${estimateTokens(built.header)} tokens`);
    assert.ok(built.promptTokens <= 1_500);
    assert.ok(built.prefix.length <= 6_000 - built.suffix.length - built.header.length);
    assert.ok(built.prefix.length > 6_000 - built.suffix.length - built.header.length - PREFIX_SLACK);
    for (const snippet of built.snippets) assert.ok(built.header.includes(`// Snippet from ${snippet.path}:\n`));
    const noRoom = buildPrompt(input, { snippetShare: 0 });
    assert.deepEqual([noRoom.header, noRoom.snippets], ['', []], 'not even the path line without a share');
  });

  it('picks the file related to the lines at the cursor over one related to code far above', () => {
    const widgets = Array.from({ length: 40 }, (_, i) => `paintWidget(canvasNode, paletteColour, layer${i % 3});`);
    const head = `${widgets.join('\n')}\n${codeLines(30).join('\n')}\n${CURSOR_LINE}\n`;
    const snippets = [
      { path: 'src/widgets.ts', text: 'export function paintWidget(canvasNode, paletteColour, layer0) {}' },
      { path: 'src/cart.ts', text: CART_BLOCK },
    ];
    const built = buildPrompt({ text: head, offset: head.length, languageId: 'typescript', snippets });
    assert.ok(built.prefix.includes('paintWidget'), 'the widget code is in the window, only not near the cursor');
    assert.deepEqual(
      built.snippets.map((s) => s.path),
      ['src/cart.ts'],
    );
  });

  it('skips a snippet whose text the window already shows', () => {
    const candidates = [
      { path: 'src/copy.ts', text: CART_BLOCK },
      { path: 'src/other.ts', text: 'export const cartTotal = loadCart();' },
    ];
    const build = (fillerLines: number) => {
      const head = `${CART_BLOCK}\n${codeLines(fillerLines).join('\n')}\n${CURSOR_LINE}\n`;
      return buildPrompt({ text: head, offset: head.length, languageId: 'typescript', snippets: candidates });
    };
    // Far above the cursor the block is out of the window, and the copy is worth offering...
    assert.deepEqual(
      build(1_000).snippets.map((s) => s.path),
      ['src/other.ts', 'src/copy.ts'],
    );
    // ...but not when the prefix already holds it.
    const near = build(5);
    assert.ok(near.prefix.includes(CART_BLOCK));
    assert.deepEqual(
      near.snippets.map((s) => s.path),
      ['src/other.ts'],
    );
  });

  it('writes the header in the language comment syntax', () => {
    const snippets = [
      { path: 'src/cart.py', text: 'def apply_discount(cart_total, rate):\n    return cart_total * rate' },
    ];
    const text = 'total = apply_discount(cart_total, 0.1)\n';
    const python = buildPrompt({ text, offset: text.length, languageId: 'python', path: 'src/app.py', snippets });
    assert.equal(
      python.header,
      '# Path: src/app.py\n# Snippet from src/cart.py:\n# def apply_discount(cart_total, rate):\n#     return cart_total * rate\n',
    );
    const ts = buildPrompt({ text: 'let a = 1;\n', offset: 0, languageId: 'typescript', path: 'src/app.ts' });
    assert.equal(ts.header, '// Path: src/app.ts\n');
    const htmlSnippet = [{ path: 'b.html', text: '<!-- cart_total -->\n<p>apply_discount</p>' }];
    const html = buildPrompt({ text, offset: text.length, languageId: 'html', path: 'a.html', snippets: htmlSnippet });
    assert.equal(
      html.header,
      '<!-- Path: a.html -->\n<!-- Snippet from b.html: -->\n<!-- <!-- cart_total -- > -->\n<!-- <p>apply_discount</p> -->\n',
      'a closer inside the snippet must not end the comment',
    );
    assert.equal(buildPrompt({ text, offset: 0, languageId: 'python' }).header, '', 'nothing to say, no header');
  });

  it('never names a file by its absolute path: outside the workspace, by its file name', () => {
    const snippets = [
      { path: '/home/alice/scratch/cart.py', text: 'def apply_discount(cart_total, rate):\n    return 1' },
    ];
    const text = 'total = apply_discount(cart_total, 0.1)\n';
    const built = buildPrompt({
      text,
      offset: text.length,
      languageId: 'python',
      path: '/home/alice/app.py',
      snippets,
    });
    assert.equal(
      built.header,
      '# Path: app.py\n# Snippet from cart.py:\n# def apply_discount(cart_total, rate):\n#     return 1\n',
    );
    assert.deepEqual(
      built.snippets.map((s) => s.path),
      ['cart.py'],
      'templates that name each file get the same names',
    );
    assert.doesNotMatch(built.header, /alice/);
  });

  it('maps language ids to their comment syntax', () => {
    assert.deepEqual(commentSyntax('rust'), { start: '//', end: '' });
    assert.deepEqual(commentSyntax('shellscript'), { start: '#', end: '' });
    assert.deepEqual(commentSyntax('sql'), { start: '--', end: '' });
    assert.deepEqual(commentSyntax('latex'), { start: '%', end: '' });
    assert.deepEqual(commentSyntax('clojure'), { start: ';', end: '' });
    assert.deepEqual(commentSyntax('markdown'), { start: '<!--', end: ' -->' });
    assert.deepEqual(commentSyntax('scss'), { start: '/*', end: ' */' });
    assert.deepEqual(commentSyntax('no-such-language'), { start: '//', end: '' });
  });
});

describe('buildPrompt determinism', () => {
  it('gives equal results for equal inputs, whatever the order of the candidates', () => {
    const make = (): PromptInput => ({
      ...documentAround(800, 800),
      path: 'src/cart.ts',
      // Two files with the same text tie on every score: only the path may decide between them.
      snippets: [
        ...manyCandidates(),
        { path: 'src/b-twin.ts', text: CART_BLOCK },
        { path: 'src/a-twin.ts', text: CART_BLOCK },
      ],
    });
    const first = buildPrompt(make());
    assert.deepEqual(buildPrompt(make()), first);
    const reversed = make();
    reversed.snippets = [...(reversed.snippets ?? [])].reverse();
    assert.deepEqual(buildPrompt(reversed), first);
    assert.ok(first.snippets.some((s) => s.path === 'src/a-twin.ts'));
    assert.ok(!first.snippets.some((s) => s.path === 'src/b-twin.ts'));
  });
});

describe('buildPrompt for prompt caches', () => {
  /** Types `line` one key at a time at the end of `head`, with `tail` after the cursor; the prompt at each key. */
  function typeLine(head: string, line: string, tail: string, extra: Partial<PromptInput> = {}) {
    return Array.from({ length: line.length + 1 }, (_, typed) => {
      const text = `${head}${line.slice(0, typed)}${tail}`;
      return buildPrompt({
        text,
        offset: head.length + typed,
        languageId: 'typescript',
        path: 'src/cart.ts',
        ...extra,
      });
    });
  }
  const candidates: ContextSnippet[] = [
    { path: 'src/cart.ts', text: CART_BLOCK },
    {
      path: 'src/zoo.ts',
      text: 'export function feedZebra(zebraStall, hayBale) {\n  return zebraStall.fill(hayBale);\n}',
    },
  ];
  const LINE = 'const fed = feedZebra(zebraStall, hayBale) + applyDiscount(cartTotal, discountRate);';

  it('keeps the start of consecutive prompts byte-identical while a line is typed', () => {
    const { text, offset } = documentAround(3_000, 3_000);
    const prompts = typeLine(text.slice(0, offset), LINE, text.slice(offset), { snippets: candidates });
    let moved = 0;
    for (let key = 1; key < prompts.length; key++) {
      const before = prompts[key - 1]!;
      const after = prompts[key]!;
      assert.equal(after.header, before.header, `the header changed at key ${key}`);
      if (after.prefixStart !== before.prefixStart) moved++;
      else assert.ok((after.header + after.prefix).startsWith(before.header + before.prefix), `key ${key}`);
    }
    // One step boundary at most is crossed in a line this long.
    assert.ok(moved <= Math.ceil(LINE.length / PREFIX_STEP_CHARS), `the window start moved ${moved} times`);
    assert.ok(prompts[0]!.snippets.length > 0, 'snippets are offered');
  });

  it('changes the snippets at the top of the prompt only every few hundred characters of typing', () => {
    // One library file in 20-line blocks. The code above the cursor uses block 9; each typed line
    // names more of another block than the one before, so the freshest line always points at
    // another window.
    const library = Array.from({ length: 10 }, (_, block) =>
      Array.from({ length: 20 }, (_, i) => `export const item${block}x${i} = build(${i});`).join('\n'),
    ).join('\n');
    const typed = Array.from(
      { length: 8 },
      (_, line) => `use(${Array.from({ length: 2 + 2 * line }, (_, i) => `item${line}x${i}`).join(', ')});\n`,
    ).join('');
    const { text, offset } = documentAround(3_000, 3_000);
    const above = `${text.slice(0, offset)}${'use(item9x0, item9x1);\n'.repeat(30)}`;
    const headerChanges = (order: 'stable' | 'legacy') => {
      const prompts = typeLine(above, typed, text.slice(offset), {
        snippets: [{ path: 'src/library.ts', text: library }],
        order,
      });
      return prompts.filter((p, key) => key > 0 && p.header !== prompts[key - 1]!.header).length;
    };
    const stable = headerChanges('stable');
    assert.ok(stable <= Math.ceil(typed.length / 512) + 1, `the header changed ${stable} times`);
    assert.ok(headerChanges('legacy') > stable + 2, 'the legacy order follows every line');
  });

  it('the legacy order, kept for the benchmark, moves the window with the typing', () => {
    const { text, offset } = documentAround(3_000, 3_000);
    const prompts = typeLine(text.slice(0, offset), LINE, text.slice(offset), { order: 'legacy' });
    const starts = new Set(prompts.map((p) => p.prefixStart));
    assert.ok(starts.size > Math.ceil(LINE.length / PREFIX_STEP_CHARS) + 1, `only ${starts.size} starts`);
  });
});
