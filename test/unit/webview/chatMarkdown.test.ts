import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  attachMarkdownHooks,
  renderMarkdown,
  StreamingMarkdown,
  type RenderHooks,
} from '../../../src/webview/chat/markdown';
import { TAIL_RATIO } from '../../../src/webview/chat/streamingMarkdown';

// linkedom is an ES module; this CommonJS test file can only import() it.
let document: Document;
let window: Window & typeof globalThis;
before(async () => {
  ({ document, window } = (await import('linkedom')).parseHTML(
    '<!DOCTYPE html><html><body></body></html>',
  ) as unknown as {
    document: Document;
    window: Window & typeof globalThis;
  });
});

function element(html = ''): HTMLElement {
  const node = document.createElement('div') as unknown as HTMLElement;
  node.innerHTML = html;
  return node;
}

/** The markup a browser would hold for `renderMarkdown(text)`, serialized the same way as a streamed container. */
function rendered(text: string): string {
  return element(renderMarkdown(text)).innerHTML;
}

interface Recorded {
  links: string[];
  code: [string, string, string | undefined][];
  hooks: RenderHooks;
}

function recorder(): Recorded {
  const recorded: Recorded = {
    links: [],
    code: [],
    hooks: {
      onLink: (href) => recorded.links.push(href),
      onCode: (action, code, language) => recorded.code.push([action, code, language]),
    },
  };
  return recorded;
}

function stream(text: string, sizes: number | readonly number[], hooks = recorder().hooks) {
  const root = element();
  const renderer = new StreamingMarkdown(root, hooks, { scheduleFrame: null });
  const steps = typeof sizes === 'number' ? [sizes] : sizes;
  for (let i = 0, step = 0; i < text.length; step++) {
    const size = steps[step % steps.length] ?? 1;
    renderer.append(text.slice(i, i + size));
    i += size;
  }
  renderer.finish();
  return { root, renderer };
}

function click(target: Element): boolean {
  const event = new window.Event('click', { bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

function press(target: Element, key: string): void {
  const event = new window.Event('keydown', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'key', { value: key });
  target.dispatchEvent(event);
}

/** Pseudo-random chunk sizes 1–12, the same on every run. */
function chunkSizes(count: number, seed = 7): number[] {
  const sizes: number[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    sizes.push(1 + (state % 12));
  }
  return sizes;
}

/** Constructs whose extent depends on later lines: where a streaming renderer goes wrong. */
const TRICKY: Record<string, string> = {
  'loose list': '- a\n\n- b\n\n  continued\n\n- c\n\nafter\n',
  'ordered list across blank lines': '1. one\n\n2. two\n\n3. three\n10. ten\n',
  'table interrupting a paragraph': 'intro\na | b\n--|--\n1 | 2\n3 | 4\n\nnext\n',
  'almost a table': 'intro\na | b\n--|--x\n1 | 2\n',
  'setext headings': 'Title\n=====\n\nSub\n---\n\ntext\n- item\n',
  'code blocks in list items': '1. step\n\n   ```bash\n   npm i\n   ```\n\n2. more\n\n   ```js\n   x()\n   ```\n',
  'block quotes and lazy lines': '> a\n> b\n\n> c\nlazy\n\npara\n',
  'indented code across blank lines': 'para\n\n    code1\n\n    code2\n\nafter\n',
  fences:
    'text\n```ts\nconst a = 1;\n\n\nconst b = 2;\n```\nafter\n~~~~\n```\nnot closed by backticks\n~~~~~\n\n````md\n```\ninner\n```\n````\n',
  'indented fence': '  ```py\n  def f():\n      return 1\n    x\n  ```\n',
  'unclosed fence': 'hello\n\n```rust\nfn main() {}\n',
  'closing fence with trailing spaces': '```\ncode\n```   \nafter\n',
  'fence ending a list': '- a\n```\ncode\n```\n- b\n',
  'empty fence': '```\n```\n',
  'tab-indented fence': '\t```\n\tcode\n\t```\n',
  'CRLF line ends': 'a\r\nb\r\n\r\n```\r\ncode\r\n```\r\n- x\r\n',
  'link references': '[a]: https://a.example\n\nsee [a] and [b]\n\n[b]: https://b.example "T"\n\nmore [a]\n',
  'thematic breaks': 'a\n\n---\n\n***\nb\n___\n',
  'emphasis and code spans across lines': 'a **b\nc** d _e_\n\nx `y\nz` w\n',
  'raw html': '<div>\nhi\n</div>\n\n<b>x</b>\n',
  'no final newline': 'no newline at end',
};

/** A long answer of the usual shape: prose, lists, code blocks of several languages. */
function longAnswer(sections: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sections; i++) {
    parts.push(
      `## Step ${i}\n\nThe function \`step${i}\` reads the **configuration** and returns a _promise_; see [the docs](https://example.com/docs/${i}) for details on why the cache is keyed by path.\n`,
      `- first item ${i}\n- second item with \`code\`\n  continued on a second line\n- third item\n`,
      i % 2
        ? `\`\`\`ts\nexport async function step${i}(path: string): Promise<number> {\n  const text = await readFile(path, 'utf8');\n  return text.length * ${i};\n}\n\`\`\`\n`
        : `\`\`\`python\ndef step_${i}(path):\n    with open(path) as f:\n        return len(f.read()) * ${i}\n\`\`\`\n`,
    );
  }
  return parts.join('\n');
}

describe('chat markdown: rendering', () => {
  it('renders headings, lists, emphasis, inline code and tables without style attributes', () => {
    const root = element(
      renderMarkdown('# Title\n\n- *one*\n- `two`\n\n1. a\n2. b\n\n| l | r |\n|:--|--:|\n| 1 | 2 |\n'),
    );
    assert.equal(root.querySelector('h1')?.textContent, 'Title');
    assert.equal(root.querySelectorAll('ul > li').length, 2);
    assert.equal(root.querySelector('ul em')?.textContent, 'one');
    assert.equal(root.querySelector('ul code')?.textContent, 'two');
    assert.equal(root.querySelectorAll('ol > li').length, 2);
    assert.equal(root.querySelector('th')?.getAttribute('class'), 'md-align-left');
    assert.equal(root.querySelector('td:last-child')?.getAttribute('class'), 'md-align-right');
    assert.equal(root.querySelectorAll('[style]').length, 0);
  });

  it('highlights a fenced block with classes and keeps its exact raw code', () => {
    const code = 'const a: string = "<b>&amp;</b>";   \nfunction f() {}';
    const root = element(renderMarkdown(`\`\`\`ts\n${code}\n\`\`\``));
    const block = root.querySelector('.md-code');
    assert.equal(block?.getAttribute('data-lang'), 'ts');
    assert.equal(root.querySelector('code')?.getAttribute('class'), 'hljs language-ts');
    assert.ok(root.querySelectorAll('code span[class^="hljs-"]').length >= 4, 'highlighted tokens');
    assert.equal(root.querySelector('code')?.textContent, code);
    assert.equal(root.querySelector('.md-code-lang')?.textContent, 'ts');
  });

  it('shows an unknown language and indented code plain, with the toolbar', () => {
    const root = element(renderMarkdown('```klingon\nqapla <x>\n```\n\npara\n\n    indented <y>\n'));
    const [fenced, indented] = Array.from(root.querySelectorAll('.md-code'));
    assert.equal(fenced?.querySelector('code')?.innerHTML, 'qapla &lt;x&gt;');
    assert.equal(fenced?.getAttribute('data-lang'), 'klingon');
    assert.equal(indented?.querySelector('code')?.textContent, 'indented <y>');
    assert.equal(indented?.getAttribute('data-lang'), null);
    assert.equal(indented?.querySelectorAll('button').length, 3);
  });

  it('marks a code block that holds invisible direction characters ("Trojan Source"), and only such a block', () => {
    // Reads as a comment with a check after it; the override reverses what is shown.
    const trojan = 'if (isAdmin) { /* \u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */';
    const root = element(renderMarkdown(`\`\`\`js\n${trojan}\n\`\`\`\n\n\`\`\`js\nconst a = 1;\n\`\`\`\n`));
    const [marked, plain] = Array.from(root.querySelectorAll('.md-code'));
    const warning = marked?.querySelector('.md-code-warning');
    assert.equal(warning?.textContent, '⚠ hidden characters');
    assert.match(warning?.getAttribute('title') ?? '', /^This code holds 4 invisible characters that change the order/);
    assert.equal(marked?.querySelector('code')?.textContent, trojan, 'the code itself is kept as it came');
    assert.equal(plain?.querySelector('.md-code-warning'), null);
  });

  it('marks code holding other invisible characters: zero-width, terminal controls, blank identifier letters', () => {
    const cases = [
      'const isAdmin\u200b = false;', // zero-width space: a second, different identifier
      'echo ok\x1b[2K\rrm -rf ~', // a terminal escape that erases what was shown before it
      'const \u3164 = run;', // Hangul filler: an identifier that looks like nothing
      'x = 1 # \u{E0041}\u{E0042}', // tag characters: text no one sees
    ];
    for (const code of cases) {
      const root = element(renderMarkdown(`\`\`\`sh\n${code}\n\`\`\`\n`));
      const warning = root.querySelector('.md-code-warning');
      assert.equal(warning?.textContent, '⚠ hidden characters', JSON.stringify(code));
      assert.match(warning?.getAttribute('title') ?? '', /invisible character/);
    }
    // Tabs and ordinary text are no warning.
    assert.equal(
      element(renderMarkdown('```go\nfunc f() {\n\treturn\n}\n```\n')).querySelector('.md-code-warning'),
      null,
    );
  });

  it('wires the code toolbar buttons to onCode with the raw code and language', () => {
    const code = 'if (a < b && c) {\n  print("x")\n}';
    const { root } = stream(
      `Intro.\n\n\`\`\`python\n${code}\n\`\`\`\n\nText.\n\n\`\`\`\nplain\n\`\`\`\n`,
      5,
      recorder().hooks,
    );
    const recorded = recorder();
    attachMarkdownHooks(root, recorded.hooks);
    const buttons = Array.from(root.querySelectorAll('.md-code')[0]?.querySelectorAll('button') ?? []);
    assert.deepEqual(
      buttons.map((button) => [button.getAttribute('data-code-action'), button.getAttribute('aria-label')]),
      [
        ['copy', 'Copy code'],
        ['insert', 'Insert code at cursor'],
        ['replace', 'Replace selection with code'],
      ],
    );
    for (const button of buttons) click(button);
    click(root.querySelectorAll('.md-code')[1]?.querySelector('button') ?? assert.fail('no second block'));
    assert.deepEqual(recorded.code, [
      ['copy', code, 'python'],
      ['insert', code, 'python'],
      ['replace', code, 'python'],
      ['copy', 'plain', undefined],
    ]);
  });

  it('turns links into data attributes that call onLink on click and Enter, never href', () => {
    const recorded = recorder();
    const { root } = stream(
      'See [the **docs**](https://example.com/a?b=1) and [file](src/app.ts).\n',
      3,
      recorded.hooks,
    );
    const links = Array.from(root.querySelectorAll('a'));
    assert.equal(links.length, 2);
    for (const link of links) {
      assert.equal(link.getAttribute('href'), null);
      assert.equal(link.getAttribute('role'), 'link');
      assert.equal(link.getAttribute('tabindex'), '0');
    }
    const first = links[0] ?? assert.fail('no link');
    assert.equal(click(first.querySelector('strong') ?? first), true, 'the click is consumed, not followed');
    press(links[1] ?? first, 'Enter');
    press(first, 'a');
    assert.deepEqual(recorded.links, ['https://example.com/a?b=1', 'src/app.ts']);
  });

  it('links bare URLs and shows images as their alt text, never loading them', () => {
    const root = element(renderMarkdown('Visit https://example.com/x now. ![a chart](https://example.com/c.png)'));
    assert.equal(root.querySelector('a')?.getAttribute('data-href'), 'https://example.com/x');
    assert.equal(root.querySelector('.md-image')?.textContent, '[image: a chart]');
    assert.equal(root.querySelectorAll('img').length, 0);
  });

  it('leaves links with other schemes as literal text', () => {
    const root = element(renderMarkdown('[x](javascript:alert(1)) [y](command:foo) <mailto:a@b.example>'));
    assert.equal(root.querySelectorAll('a').length, 0);
    assert.equal(root.textContent?.trim(), '[x](javascript:alert(1)) [y](command:foo) <mailto:a@b.example>');
  });
});

describe('chat markdown: streaming', () => {
  for (const [name, text] of Object.entries(TRICKY)) {
    it(`streams "${name}" to the same markup as renderMarkdown`, () => {
      const expected = rendered(text);
      for (const sizes of [1, 3, 17, chunkSizes(200)]) {
        assert.equal(stream(text, sizes).root.innerHTML, expected, `chunks of ${String(sizes).slice(0, 20)}`);
      }
    });
  }

  it('streams a long answer to the same markup and text as renderMarkdown', () => {
    const text = longAnswer(12);
    const expected = element(renderMarkdown(text));
    for (const sizes of [1, 3, 17, chunkSizes(500, 3)]) {
      const { root } = stream(text, sizes);
      assert.equal(root.textContent, expected.textContent);
      assert.equal(root.innerHTML, expected.innerHTML);
    }
  });

  it('keeps everything appended so far in text, including CR LF split across chunks', () => {
    const text = 'a\r\n\r\nb\r\n```\r\nx\r\n```\r\n';
    const { root, renderer } = stream(text, 2);
    assert.equal(renderer.text, text);
    assert.equal(root.innerHTML, rendered(text));
  });

  it('never touches a settled block again', () => {
    const root = element();
    const renderer = new StreamingMarkdown(root, recorder().hooks, { scheduleFrame: null });
    const first = 'First paragraph with **bold**.\n\n';
    for (const char of first) renderer.append(char);
    for (const char of 'Second paragraph.\n\nThird one, still ') renderer.append(char);
    const settled = root.firstElementChild;
    assert.equal(settled?.outerHTML, '<p>First paragraph with <strong>bold</strong>.</p>');
    for (const char of `going.\n\n${longAnswer(3)}`) renderer.append(char);
    renderer.finish();
    assert.equal(root.firstElementChild, settled, 'the same node');
    assert.equal(settled?.outerHTML, '<p>First paragraph with <strong>bold</strong>.</p>');
  });

  it('fills an open code block as text without parsing, then highlights it once when it closes', () => {
    const root = element();
    const renderer = new StreamingMarkdown(root, recorder().hooks, { scheduleFrame: null });
    renderer.append('Here:\n\n```ts\n');
    const opened = renderer.parsedChars;
    const lines = Array.from({ length: 50 }, (_, i) => `  const value${i} = compute(${i}) < limit && ok; // <${i}>`);
    const code = lines.join('\n');
    for (let i = 0; i < code.length; i += 4) {
      renderer.append(code.slice(i, i + 4));
      const shown = root.querySelector('.md-code code');
      // A line break shows once the next line starts, so the code never ends in an empty line.
      assert.equal(shown?.textContent, code.slice(0, i + 4).replace(/\n$/, ''), 'the code so far, exactly');
      assert.equal(shown?.querySelectorAll('span').length, 0, 'not highlighted while open');
    }
    assert.equal(renderer.parsedChars, opened, 'no parsing while the fence is open');
    renderer.append('\n``');
    renderer.append('`\nAfter.\n');
    const block = root.querySelector('.md-code');
    assert.ok((block?.querySelectorAll('code span.hljs-keyword').length ?? 0) >= 50, 'highlighted on close');
    assert.equal(block?.querySelector('code')?.textContent, code);
    assert.ok(renderer.parsedChars - opened <= code.length + 40, 'the block was parsed once');
    renderer.finish();
    assert.equal(root.querySelector('.md-code'), block, 'a closed block is settled');
    assert.equal(root.innerHTML, rendered(renderer.text));
  });

  it('shows text not yet parsed as plain text, so every appended word is visible', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`);
    const root = element();
    const renderer = new StreamingMarkdown(root, recorder().hooks, { scheduleFrame: null });
    renderer.append('Intro paragraph.\n\n');
    let sawPreview = false;
    for (const word of words) {
      renderer.append(`${word} `);
      sawPreview ||= root.querySelector('.md-pending') !== null;
      assert.ok(root.textContent?.trimEnd().endsWith(word), `${word} is visible`);
    }
    assert.ok(sawPreview, 'the preview was used');
    renderer.finish();
    assert.equal(root.querySelector('.md-pending'), null);
    assert.equal(root.innerHTML, rendered(renderer.text));
  });

  it('catches up on the next animation frame', () => {
    const frames: (() => void)[] = [];
    const root = element();
    const renderer = new StreamingMarkdown(root, recorder().hooks, { scheduleFrame: (render) => frames.push(render) });
    renderer.append('A paragraph that is long enough to defer its next render: ');
    renderer.append('**bold');
    renderer.append('**');
    assert.ok(root.querySelector('.md-pending'), 'deferred');
    assert.equal(frames.length, 1, 'one frame for any number of appends');
    frames.shift()?.();
    assert.equal(root.querySelector('.md-pending'), null);
    assert.equal(root.querySelector('strong')?.textContent, 'bold');
    renderer.finish();
  });

  it('refuses appends after finish, and finish twice is harmless', () => {
    const { renderer, root } = stream('done', 1);
    renderer.finish();
    assert.throws(() => renderer.append('more'), /after finish/);
    assert.equal(root.innerHTML, '<p>done</p>\n');
  });
});

describe('chat markdown: linear streaming', () => {
  const cases: Record<string, string> = {
    'a long answer': longAnswer(60),
    'one long paragraph': Array.from({ length: 4000 }, (_, i) => `w${i}`).join(' '),
    'one long list': Array.from({ length: 800 }, (_, i) => `- item ${i} with *some* text`).join('\n'),
    'one long code block': `\`\`\`js\n${Array.from({ length: 1500 }, (_, i) => `f(${i});`).join('\n')}\n\`\`\`\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`parses ${name} a bounded number of times, far below re-rendering everything`, () => {
      for (const size of [1, 4]) {
        const { renderer } = stream(text, size);
        const n = text.length;
        // Re-parsing the whole answer on every chunk: the sum of the prefix lengths.
        const naive = (n * (n + size)) / (2 * size);
        assert.ok(renderer.parsedChars <= (TAIL_RATIO + 1) * n, `${renderer.parsedChars} chars parsed for ${n}`);
        assert.ok(renderer.parsedChars * 100 < naive, `${renderer.parsedChars} vs naive ${naive}`);
      }
    });
  }
});
