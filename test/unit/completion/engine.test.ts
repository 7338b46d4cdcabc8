import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompletionEngine,
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionBackend,
  type CompletionInput,
  type CompletionSettings,
  type Suggestion,
} from '../../../src/core/completion/engine';
import { cleanHoleFillAnswer } from '../../../src/core/providers/holeFillPrompt';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { FimRequest } from '../../../src/core/providers/types';
import { FakeClock } from '../../harness/fakeClock';

interface FakeBackend extends CompletionBackend {
  requests: FimRequest[];
  aborted: number;
}

/** A backend on the fake clock: answers `answer(request)` after `latencyMs`, honours abort. */
function fakeBackend(
  clock: FakeClock,
  answer: (request: FimRequest) => string,
  latencyMs = 200,
  model = 'test-model',
  route = 'completions-suffix',
): FakeBackend {
  const backend: FakeBackend = {
    id: 'fake',
    model,
    requests: [],
    aborted: 0,
    fim(request) {
      backend.requests.push(request);
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          try {
            resolve({
              text: answer(request),
              model,
              route,
              usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
            });
          } catch (error) {
            reject(error);
          }
        }, latencyMs);
        request.signal?.addEventListener('abort', () => {
          clock.clearTimeout(timer);
          backend.aborted++;
          reject(new ProviderError({ kind: 'cancelled', providerId: 'fake', message: 'cancelled' }));
        });
      });
    },
  };
  return backend;
}

function setup(
  settings: Partial<CompletionSettings> = {},
  answer: (request: FimRequest) => string = () => ' + 1;',
  latencyMs = 200,
) {
  const clock = new FakeClock();
  const backend = fakeBackend(clock, answer, latencyMs);
  const engine = new CompletionEngine({
    settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 100, ...settings }),
    clock,
  });
  return { clock, backend, engine };
}

const DOC = 'file:///work/a.ts';

function input(text: string, offset = text.length, extra: Partial<CompletionInput> = {}): CompletionInput {
  return { documentId: DOC, text, offset, languageId: 'typescript', path: 'a.ts', trigger: 'automatic', ...extra };
}

/** Starts a completion like VS Code does for a keystroke: returns the call and its cancel. */
function keystroke(engine: CompletionEngine, backend: CompletionBackend, at: CompletionInput) {
  const controller = new AbortController();
  let result: Suggestion[] | undefined;
  let error: unknown;
  const done = engine.complete(at, backend, controller.signal).then(
    (value) => (result = value),
    (caught: unknown) => (error = caught),
  );
  return {
    cancel: () => controller.abort(),
    done,
    get result() {
      return result;
    },
    get error() {
      return error;
    },
  };
}

describe('completion engine: debounce and cancellation', () => {
  it('sends nothing while the user keeps typing, and one request once they pause', async () => {
    const { clock, backend, engine } = setup();
    let previous: ReturnType<typeof keystroke> | undefined;
    const typed = 'const total = count';
    for (let length = 14; length <= typed.length; length++) {
      previous?.cancel();
      previous = keystroke(engine, backend, input(typed.slice(0, length)));
      await clock.advance(60);
    }
    assert.equal(backend.requests.length, 0, 'keys 60 ms apart under a 100 ms debounce');
    await clock.advance(400);
    assert.equal(backend.requests.length, 1);
    assert.deepEqual(
      previous?.result?.map((s) => s.insertText),
      [' + 1;'],
    );
    assert.equal(engine.stats.debounceCancelled, typed.length - 14);
  });

  it('sends nothing at all when the call is cancelled during the debounce', async () => {
    const { clock, backend, engine } = setup();
    const call = keystroke(engine, backend, input('let x ='));
    await clock.advance(50);
    call.cancel();
    await clock.advance(1_000);
    assert.equal(backend.requests.length, 0);
    assert.deepEqual(call.result, []);
  });

  it('aborts an in-flight request once the cursor moves somewhere it cannot apply', async () => {
    const { clock, backend, engine } = setup();
    const first = keystroke(engine, backend, input('let x =\nlet y =', 7));
    await clock.advance(150);
    assert.equal(backend.requests.length, 1, 'the first request is in flight');
    first.cancel();
    keystroke(engine, backend, input('let x =\nlet y =', 15));
    await clock.advance(1);
    assert.equal(backend.aborted, 1, 'the request for the other line is stale');
  });

  it('aborts an abandoned request when no matching keystroke follows', async () => {
    const { clock, backend, engine } = setup({}, () => ' 1;', 2_000);
    const call = keystroke(engine, backend, input('let x ='));
    await clock.advance(150);
    call.cancel();
    await clock.advance(300);
    assert.equal(backend.aborted, 0, 'kept a moment in case the next key still matches');
    await clock.advance(500);
    assert.equal(backend.aborted, 1);
  });

  it('learns a fast typist and waits less than for a slow one', async () => {
    const delays: number[] = [];
    for (const interval of [70, 260]) {
      const { clock, backend, engine } = setup({ debounceMs: undefined });
      const text = 'const someLongIdentifierName';
      let last: ReturnType<typeof keystroke> | undefined;
      for (let length = 6; length <= text.length; length++) {
        last?.cancel();
        last = keystroke(engine, backend, input(text.slice(0, length)));
        await clock.advance(interval);
      }
      const before = backend.requests.length;
      const pausedAt = clock.now() - interval;
      while (backend.requests.length === before) await clock.advance(5);
      delays.push(clock.now() - pausedAt);
    }
    const [fast, slow] = delays as [number, number];
    assert.ok(fast < slow, `fast typist waited ${fast} ms, slow ${slow} ms`);
    assert.ok(slow > 260, 'a slow typist’s ordinary gap does not fire a request');
  });
});

describe('completion engine: closers the editor put after the cursor', () => {
  it('a one-line answer that brings them itself replaces them, so accepting it does not write them twice', async () => {
    // Typing `${` in a template literal leaves `}` and the closing backtick after the cursor.
    const { clock, backend, engine } = setup({}, () => 'user.name}`;');
    const text = 'const msg = `Hello ${}`\n';
    const call = keystroke(engine, backend, input(text, text.indexOf('}`')));
    await clock.advance(400);
    assert.deepEqual(
      call.result?.map((s) => [s.insertText, s.replaceAfter]),
      [['user.name}`;', 2]],
    );
  });

  it('replaces nothing when the answer stops before them, or the rest of the line is code', async () => {
    const { clock, backend, engine } = setup({}, () => 'user.name');
    const text = 'const msg = `Hello ${}`\n';
    const call = keystroke(engine, backend, input(text, text.indexOf('}`')));
    await clock.advance(400);
    assert.deepEqual(
      call.result?.map((s) => [s.insertText, s.replaceAfter]),
      [['user.name', undefined]],
    );
    const other = setup({}, () => 'a, b) + c');
    const code = 'const x = f() + 1;\n';
    const inCode = keystroke(other.engine, other.backend, input(code, code.indexOf(') + 1')));
    await other.clock.advance(400);
    assert.equal(inCode.result?.[0]?.replaceAfter, undefined, 'the rest of the line is not only closers');
  });

  // The document after accepting the first suggestion, as VS Code applies it.
  const accepted = (doc: string, suggestions: Suggestion[] | undefined) => {
    const [before = '', after = ''] = doc.split('█');
    const first = suggestions?.[0];
    return first ? before + first.insertText + after.slice(first.replaceAfter ?? 0) : '(nothing shown)';
  };

  const ownClosers: [languageId: string, doc: string, answer: string, expected: string][] = [
    ['python', 'print(█)\n', 'len(items)', 'print(len(items))\n'],
    ['typescript', 'foo(█)\n', 'bar()', 'foo(bar())\n'],
    ['typescript', 'const o = {█}\n', 'a: { b: 1 }', 'const o = {a: { b: 1 }}\n'],
    ['python', 'xs = [█]\n', '[1, 2], [3, 4]', 'xs = [[1, 2], [3, 4]]\n'],
  ];
  for (const [languageId, doc, answer, expected] of ownClosers) {
    it(`keeps the editor's closer when the answer's closes its own bracket: ${answer} in ${doc.trim()}`, async () => {
      const { clock, backend, engine } = setup({}, () => answer);
      const call = keystroke(engine, backend, input(doc.replace('█', ''), doc.indexOf('█'), { languageId }));
      await clock.advance(400);
      assert.equal(accepted(doc, call.result), expected);
      // The same answer from the cache (the same file in a second workspace folder, so no
      // type-ahead), and for a manual trigger.
      const elsewhere = { languageId, documentId: 'file:///other/a.ts' };
      const again = keystroke(engine, backend, input(doc.replace('█', ''), doc.indexOf('█'), elsewhere));
      await clock.advance(400);
      assert.equal(again.result?.[0]?.source, 'cache');
      assert.equal(accepted(doc, again.result), expected);
      const manual = setup({ manualCandidates: 1 }, () => answer);
      const invoked = keystroke(
        manual.engine,
        manual.backend,
        input(doc.replace('█', ''), doc.indexOf('█'), { languageId, trigger: 'invoke' }),
      );
      await manual.clock.advance(400);
      assert.equal(accepted(doc, invoked.result), expected);
    });
  }

  it("keeps a closer the suffix still needs: `wrap(parse(` before one `)` needs the answer's `)` as well", async () => {
    const doc = 'const v = wrap(parse(█)\n';
    const { clock, backend, engine } = setup({}, () => 'x))');
    const call = keystroke(engine, backend, input(doc.replace('█', ''), doc.indexOf('█')));
    await clock.advance(400);
    assert.equal(accepted(doc, call.result), 'const v = wrap(parse(x))\n');
  });

  it('still replaces them while the user types along the answer', async () => {
    const { clock, backend, engine } = setup({}, () => 'user.name}`;');
    const doc = 'const msg = `Hello ${█}`\n';
    keystroke(engine, backend, input(doc.replace('█', ''), doc.indexOf('█')));
    await clock.advance(400);
    const typed = doc.replace('█', 'user█');
    const ahead = keystroke(engine, backend, input(typed.replace('█', ''), typed.indexOf('█')));
    await clock.advance(400);
    assert.equal(ahead.result?.[0]?.source, 'type-ahead');
    assert.equal(accepted(typed, ahead.result), 'const msg = `Hello ${user.name}`;\n');
  });

  it('replaces the quote that ends the string when the answer ends it, and what an interpolation closes', async () => {
    const closing: [languageId: string, doc: string, answer: string, expected: string][] = [
      ['typescript', 'const s = "█"\n', 'hello" + name', 'const s = "hello" + name\n'],
      ['typescript', 'const msg = `Hello ${█}`\n', 'user.name}`;', 'const msg = `Hello ${user.name}`;\n'],
      ['python', 'print(f"{█}")\n', 'a}", b)', 'print(f"{a}", b)\n'],
    ];
    for (const [languageId, doc, answer, expected] of closing) {
      const { clock, backend, engine } = setup({}, () => answer);
      const call = keystroke(engine, backend, input(doc.replace('█', ''), doc.indexOf('█'), { languageId }));
      await clock.advance(400);
      assert.equal(accepted(doc, call.result), expected);
    }
  });
});

describe('completion engine: a long string or comment before the cursor', () => {
  // A function whose docstring opens more than 1,024 characters before the cursor and closes
  // after that point: a window starting inside it must not read the closing quotes as an opening.
  const doc = [
    'import json',
    '',
    'def load_settings(path, defaults=None, strict=False):',
    '    """Load the settings file at `path` and merge it over `defaults`.',
    '',
    ...Array.from(
      { length: 14 },
      (_, i) => `    Option ${i}: describes what setting number ${i} does, and its default.`,
    ),
    '    """',
    '    settings = dict(defaults or {})',
    '    with open(path, encoding="utf-8") as handle:',
    '        raw = json.load(handle)',
    '    for key, value in raw.items():',
    '        settings[key] = value',
    '    if not settings:',
  ].join('\n');
  const after = '\n    return settings\n';

  it('reads the code after it as code: a block header still gets its block', async () => {
    assert.ok(doc.length - doc.indexOf('"""') > 1024, 'the docstring opens beyond the first window');
    const { clock, backend, engine } = setup({}, () => '\n        raise ValueError(path)\n');
    const call = keystroke(engine, backend, input(doc + after, doc.length, { languageId: 'python', path: 'a.py' }));
    await clock.advance(400);
    assert.deepEqual(
      call.result?.map((s) => s.insertText),
      ['\n        raise ValueError(path)'],
    );
  });
});

describe('completion engine: type-ahead across Enter', () => {
  it('serves the next lines the model gave while the user types them, with no new request', async () => {
    const { clock, backend, engine } = setup({}, () => ' 1;\nconst b = 2;\nconst c = 3;\n\nexport {};');
    const first = keystroke(engine, backend, input('const a ='));
    await clock.advance(400);
    assert.deepEqual(
      first.result?.map((s) => s.insertText),
      [' 1;'],
    );
    const atLineEnd = keystroke(engine, backend, input('const a = 1;'));
    await clock.advance(1);
    assert.deepEqual(
      atLineEnd.result?.map((s) => s.insertText),
      ['\nconst b = 2;'],
      'the next line, on the next line',
    );
    const afterEnter = keystroke(engine, backend, input('const a = 1;\nconst'));
    await clock.advance(1);
    assert.deepEqual(
      afterEnter.result?.map((s) => [s.insertText, s.source]),
      [[' b = 2;', 'type-ahead']],
    );
    const third = keystroke(engine, backend, input('const a = 1;\nconst b = 2;\n'));
    await clock.advance(1);
    assert.deepEqual(
      third.result?.map((s) => s.insertText),
      ['const c = 3;'],
    );
    assert.equal(backend.requests.length, 1);
  });

  it('does not serve a line the file already has after the cursor', async () => {
    // The model gave the assignment and then the `return x;` that already follows it.
    const { clock, backend, engine } = setup({}, () => 'compute(values);\n  return x;\n');
    const after = '\n  return x;\n}\n';
    const at = (prefix: string) => input(prefix + after, prefix.length);
    const first = keystroke(engine, backend, at('function f(values) {\n  const x = '));
    await clock.advance(400);
    assert.deepEqual(
      first.result?.map((s) => s.insertText),
      ['compute(values);'],
    );
    // Accepted, then Enter: the next line the model gave is the one below the cursor.
    const afterEnter = keystroke(engine, backend, at('function f(values) {\n  const x = compute(values);\n  '));
    await clock.advance(400);
    assert.ok(
      !afterEnter.result?.some((s) => s.source === 'type-ahead' && s.insertText.trim() === 'return x;'),
      `accepting it would give two: ${JSON.stringify(afterEnter.result)}`,
    );
  });

  it('in a file with Windows line endings, serves the next lines across Enter with no new request', async () => {
    // VS Code inserts the document's own line ending on Enter; the answer's lines are kept with \n.
    const { clock, backend, engine } = setup({}, () => ' 1;\r\nconst b = 2;\r\nconst c = 3;\r\n\r\nexport {};');
    const at = (prefix: string) => input(`${prefix}\r\n`, prefix.length);
    keystroke(engine, backend, at('const a ='));
    await clock.advance(400);
    const afterEnter = keystroke(engine, backend, at('const a = 1;\r\nconst'));
    await clock.advance(1);
    assert.deepEqual(
      afterEnter.result?.map((s) => [s.insertText, s.source]),
      [[' b = 2;', 'type-ahead']],
    );
    const third = keystroke(engine, backend, at('const a = 1;\r\nconst b = 2;\r\n'));
    await clock.advance(1);
    assert.deepEqual(
      third.result?.map((s) => [s.insertText, s.source]),
      [['const c = 3;', 'type-ahead']],
    );
    assert.equal(backend.requests.length, 1);
  });

  it('in a file with Windows line endings, serves the rest of a block while the user types along it', async () => {
    const block = 'if (!user) {\r\n    throw new Error("no user");\r\n  }\r\n  return user.name;';
    const { clock, backend, engine } = setup({}, () => block);
    const head = 'function name(user) {\r\n  ';
    const at = (typed: string) => input(`${head}${typed}\r\n}\r\n`, head.length + typed.length);
    keystroke(engine, backend, at(''));
    await clock.advance(400);
    const afterEnter = keystroke(engine, backend, at('if (!user) {\r\n    '));
    await clock.advance(1_000);
    assert.deepEqual(
      afterEnter.result?.map((s) => [s.insertText, s.source]),
      [['throw new Error("no user");\n  }\n  return user.name;', 'type-ahead']],
    );
    assert.equal(backend.requests.length, 1);
  });

  it('in a tab-indented file, serves the next lines of an answer indented with spaces in tabs', async () => {
    const { clock, backend, engine } = setup({}, () => ' 1\n    y := 2\n    return y\n');
    const at = (prefix: string) => input(`${prefix}\n}\n`, prefix.length, { languageId: 'go', path: 'a.go' });
    keystroke(engine, backend, at('func f() int {\n\tx :='));
    await clock.advance(400);
    const atLineEnd = keystroke(engine, backend, at('func f() int {\n\tx := 1'));
    await clock.advance(1);
    assert.deepEqual(
      atLineEnd.result?.map((s) => [s.insertText, s.source]),
      [['\n\ty := 2', 'type-ahead']],
    );
    // Enter: the editor indents the new line with a tab.
    const afterEnter = keystroke(engine, backend, at('func f() int {\n\tx := 1\n\ty := 2\n\t'));
    await clock.advance(1);
    assert.deepEqual(
      afterEnter.result?.map((s) => [s.insertText, s.source]),
      [['return y', 'type-ahead']],
    );
    assert.equal(backend.requests.length, 1);
  });

  it('does not serve past a blank line or where the user typed something else', async () => {
    const { clock, backend, engine } = setup({}, () => ' 1;\nconst b = 2;\n\nconst c = 3;\n');
    keystroke(engine, backend, input('const a ='));
    await clock.advance(400);
    const other = keystroke(engine, backend, input('const a = 1;\nlet'));
    await clock.advance(1);
    assert.notEqual(other.result?.[0]?.source, 'type-ahead');
  });
});

describe('completion engine: sending where this user pauses', () => {
  /**
   * Types `lines` at 150 ms a key, pausing 2 s after every `pauseAfter` character and never
   * elsewhere, and returns the requests sent and how long after each pause's last key the request
   * went out.
   */
  async function typeWithPausesAfter(
    settings: Partial<CompletionSettings>,
    lines: readonly string[],
    pauseAfter = '\n',
  ) {
    const { clock, backend, engine } = setup({ debounceMs: undefined, ...settings }, () => ' // x');
    let text = '';
    let last: ReturnType<typeof keystroke> | undefined;
    const waits: number[] = [];
    for (const line of lines) {
      for (const char of `${line}\n`) {
        text += char;
        last?.cancel();
        const before = backend.requests.length;
        last = keystroke(engine, backend, input(text));
        if (char === pauseAfter) {
          const pausedAt = clock.now();
          await clock.advance(0);
          let waited = 0;
          while (backend.requests.length === before && waited < 2_000) {
            await clock.advance(10);
            waited += 10;
          }
          waits.push(clock.now() - pausedAt);
          await clock.advance(2_000 - waited);
        } else {
          await clock.advance(150);
        }
      }
    }
    return { waits, requests: backend.requests.length };
  }

  /**
   * Types `keys` (each a piece of text and the gap after it, in ms) into one document and returns,
   * per key, whether a request went out before the next key.
   */
  async function typeKeys(keys: readonly (readonly [string, number])[], settings: Partial<CompletionSettings> = {}) {
    const { clock, backend, engine } = setup({ debounceMs: undefined, ...settings }, () => ' // x');
    let text = '';
    let last: ReturnType<typeof keystroke> | undefined;
    const sent: boolean[] = [];
    for (const [piece, gap] of keys) {
      text += piece;
      last?.cancel();
      const before = backend.requests.length;
      last = keystroke(engine, backend, input(text));
      await clock.advance(gap);
      sent.push(backend.requests.length > before);
    }
    return sent;
  }

  /** An identifier typed a letter at a time, 120 and 180 ms apart in turn. */
  const letters = (word: string) => [...word].map((char, i) => [char, i % 2 ? 180 : 120] as const);

  const LINES = Array.from({ length: 12 }, (_, i) => `let value${i} = compute(${i});`);

  it('asks at once after the kind of key this user pauses after, once it has learned that', async () => {
    const { waits } = await typeWithPausesAfter({}, LINES, ';');
    assert.ok(waits[0]! > 100, `before learning, the first pause waits the debounce (${waits[0]} ms)`);
    assert.deepEqual(waits.slice(-6), [0, 0, 0, 0, 0, 0], 'after a few lines, ";" sends at once');
  });

  it('asks at once at a line end from the first line, as most people stop to think there', async () => {
    const { waits } = await typeWithPausesAfter({}, LINES);
    assert.deepEqual(
      waits,
      LINES.map(() => 0),
    );
  });

  it('stops asking at once at line ends for a user who types on past them', async () => {
    const keys = LINES.flatMap((line) => [...letters(line), ['\n', 150] as const]);
    const sent = await typeKeys(keys);
    const atEnter = keys.flatMap(([piece], i) => (piece === '\n' ? [sent[i]] : []));
    assert.equal(atEnter[0], true, 'the first line end asks at once, before anything is known');
    assert.deepEqual(
      atEnter.slice(2),
      LINES.slice(2).map(() => false),
      'then a 150 ms gap after Enter sends nothing',
    );
  });

  it('waits longer after keys this user never pauses after, so a hesitation mid-word sends nothing', async () => {
    const word = 'someRatherLongIdentifierNameForTheTest';
    const sent = await typeKeys([...letters(word), ['X', 330], ...letters('more'), ['Y', 2_000]]);
    assert.equal(sent.at(word.length), false, 'a 330 ms hesitation after a letter, with gaps of up to 180 ms');
    assert.equal(sent.at(-1), true, 'a real pause after a letter still gets its answer');
  });

  it('does not ask at once after a rare key that a pause happened to follow twice', async () => {
    const call = (pause: boolean) => [...letters('fn'), ['(', pause ? 2_000 : 150] as const, ...letters('x);')];
    const keys = [...call(true), ...call(true), ...call(false), ...call(false), ...call(false), ...letters('fn')];
    const sent = await typeKeys([...keys, ['(', 100]]);
    assert.equal(sent.at(-1), false, 'two pauses in five "(" are chance, not this user\'s rhythm');
  });

  it('at speed "fast" asks at once after a key this user stops at one time in five; "balanced" waits there', async () => {
    const call = (pause: boolean) => [...letters('fn'), ['(', pause ? 2_000 : 150] as const, ...letters('x);')];
    const keys = Array.from({ length: 10 }, (_, i) => call(i % 5 === 0)).flat();
    const last = [...letters('fn'), ['(', 100] as const];
    const fast = await typeKeys([...keys, ...last], { speed: 'fast' });
    const balanced = await typeKeys([...keys, ...last], { speed: 'balanced' });
    assert.equal(fast.at(-1), true, 'fast: the request leaves with the "(" key');
    assert.equal(balanced.at(-1), false, 'balanced: a 100 ms gap after "(" sends nothing');
  });

  it('at speed "frugal" never asks at once, not even at line ends', async () => {
    const { waits, requests } = await typeWithPausesAfter({ speed: 'frugal' }, LINES);
    assert.ok(
      waits.every((wait) => wait >= 150),
      `every pause waited the debounce: ${waits.join(', ')}`,
    );
    assert.equal(requests, LINES.length, 'and each pause still got its request');
  });

  it('still waits after ordinary keys, so typing without a pause sends nothing', async () => {
    const { requests } = await typeWithPausesAfter({}, LINES);
    assert.equal(requests, LINES.length, 'one request per pause, none between keys 150 ms apart');
  });

  it('keeps a fixed debounce when the user set one', async () => {
    const { waits } = await typeWithPausesAfter({ debounceMs: 350 }, LINES);
    assert.ok(
      waits.every((wait) => wait >= 350),
      waits.join(', '),
    );
  });

  it('serves nothing from earlier answers with reuse off: every pause asks again', async () => {
    const { clock, backend, engine } = setup({ reuse: false }, () => ' + 1;');
    keystroke(engine, backend, input('const total ='));
    await clock.advance(400);
    const again = keystroke(engine, backend, input('const total ='));
    await clock.advance(400);
    assert.equal(backend.requests.length, 2, 'no cache');
    const along = keystroke(engine, backend, input('const total = +'));
    await clock.advance(400);
    assert.equal(backend.requests.length, 3, 'no type-ahead');
    assert.deepEqual([again.result?.[0]?.source, along.result?.[0]?.source], ['request', 'request']);
  });
});

describe('completion engine: reuse', () => {
  it('answers a second pause at the same place from the cache', async () => {
    const { clock, backend, engine } = setup();
    const first = keystroke(engine, backend, input('const total ='));
    await clock.advance(400);
    assert.deepEqual(
      first.result?.map((s) => s.source),
      ['request'],
    );
    // The user moves away and comes back: the same prompt again.
    keystroke(engine, backend, input('const total =', 3)).cancel();
    const again = keystroke(engine, backend, input('const total ='));
    await clock.advance(400);
    assert.equal(backend.requests.length, 1);
    assert.deepEqual(
      again.result?.map((s) => s.insertText),
      [' + 1;'],
    );
  });

  it('keys the cache on what decides the answer: another model or another suffix asks again', async () => {
    const { clock, backend, engine } = setup();
    keystroke(engine, backend, input('const total =\n', 13));
    await clock.advance(400);
    keystroke(engine, backend, input('const total =\nreturn total;', 13));
    await clock.advance(400);
    assert.equal(backend.requests.length, 2, 'a different suffix');
    keystroke(engine, { ...backend, model: 'other-model' }, input('const total =\nreturn total;', 13));
    await clock.advance(400);
    assert.equal(backend.requests.length, 3, 'a different model');
  });

  it('serves the rest of an answer while the user types along it, with no request', async () => {
    const { clock, backend, engine } = setup({}, () => ' items.reduce((sum, item) => sum + item.price, 0);');
    keystroke(engine, backend, input('const total ='));
    await clock.advance(400);
    const typed = keystroke(engine, backend, input('const total = items.red'));
    await clock.advance(1);
    assert.deepEqual(typed.result, [
      { insertText: 'uce((sum, item) => sum + item.price, 0);', multiline: false, source: 'type-ahead' },
    ]);
    assert.equal(backend.requests.length, 1);
  });

  it('asks again once the user types something the answer did not say', async () => {
    const { clock, backend, engine } = setup({}, () => ' items.length;');
    keystroke(engine, backend, input('const total ='));
    await clock.advance(400);
    const diverged = keystroke(engine, backend, input('const total = order'));
    await clock.advance(400);
    assert.equal(backend.requests.length, 2);
    assert.equal(diverged.result?.[0]?.source, 'request');
  });

  it('drops an auto-closed bracket from the rest of the answer', async () => {
    const { clock, backend, engine } = setup({}, () => ' format(value);');
    keystroke(engine, backend, input('const label ='));
    await clock.advance(400);
    // The user typed " format(" and the editor added ")" after the cursor.
    const typed = keystroke(engine, backend, input('const label = format()', 'const label = format('.length));
    await clock.advance(1);
    assert.deepEqual(
      typed.result,
      [{ insertText: 'value);', multiline: false, source: 'type-ahead', replaceAfter: 1 }],
      'the answer replaces the auto-inserted ")"',
    );
    assert.equal(backend.requests.length, 1);
  });

  it('reuses a request still in flight when the new keystrokes match its answer', async () => {
    const { clock, backend, engine } = setup({}, () => ' items.length;', 300);
    const first = keystroke(engine, backend, input('const count ='));
    await clock.advance(150);
    assert.equal(backend.requests.length, 1);
    first.cancel();
    const second = keystroke(engine, backend, input('const count = it'));
    await clock.advance(400);
    assert.equal(backend.requests.length, 1, 'no second request');
    assert.equal(backend.aborted, 0, 'the first was not thrown away');
    assert.deepEqual(second.result, [{ insertText: 'ems.length;', multiline: false, source: 'in-flight' }]);
  });

  it('in a file with Windows line endings, reuses a request still in flight after the user pressed Enter along its answer', async () => {
    const { clock, backend, engine } = setup({}, () => 'if (!user) {\r\n    return "";\r\n  }', 300);
    const head = 'function name(user) {\r\n  ';
    const at = (typed: string) => input(`${head}${typed}\r\n}\r\n`, head.length + typed.length);
    const first = keystroke(engine, backend, at(''));
    await clock.advance(150);
    assert.equal(backend.requests.length, 1);
    first.cancel();
    const second = keystroke(engine, backend, at('if (!user) {\r\n    '));
    await clock.advance(400);
    assert.equal(backend.requests.length, 1, 'no second request');
    assert.deepEqual(
      second.result?.map((s) => [s.insertText, s.source]),
      [['return "";\n  }', 'in-flight']],
    );
  });
});

describe('completion engine: when not to ask', () => {
  const cases: [string, Partial<CompletionSettings>, CompletionInput][] = [
    ['mid-word', {}, input('const totalCount = 1;', 'const total'.length)],
    ['mid-word before a letter outside the BMP', {}, input('const s = 𠮷野家;', 'const s = '.length)],
    ['mid-word before a mathematical letter', {}, input('const y = 𝑥 + 1;', 'const y = '.length)],
    ['snoozed', { snoozedUntil: 60_000 }, input('const x =')],
    ['language off', { languages: { typescript: false } }, input('const x =')],
    ['language off by default', { languages: { '*': false } }, input('const x =')],
    ['untitled when the user says so', { skipUntitled: true }, input('const x =', undefined, { untitled: true })],
    ['file too large', { maxFileChars: 10 }, input('const x = 12345678901234567890')],
    ['disabled', { enabled: false }, input('const x =')],
  ];
  for (const [name, settings, at] of cases) {
    it(`sends no request: ${name}`, async () => {
      const { clock, backend, engine } = setup(settings);
      const call = keystroke(engine, backend, at);
      await clock.advance(1_000);
      assert.equal(backend.requests.length, 0);
      assert.deepEqual(call.result, []);
      assert.equal(engine.stats.skipped, 1);
    });
  }

  it('still asks in a language switched on when the default is off', async () => {
    const { clock, backend, engine } = setup({ languages: { '*': false, typescript: true } });
    keystroke(engine, backend, input('const x ='));
    await clock.advance(1_000);
    assert.equal(backend.requests.length, 1);
  });
});

describe('completion engine: requests', () => {
  it('builds a byte-identical request for the same input, whatever order the snippets come in', async () => {
    const snippets = [
      {
        path: 'src/cart.ts',
        text: 'export function cartTotal(items: Item[]) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}',
      },
      { path: 'src/tax.ts', text: 'export function withTax(total: number) {\n  return total * 1.2;\n}' },
    ];
    const requests: FimRequest[] = [];
    for (const order of [snippets, [...snippets].reverse()]) {
      const { clock, backend, engine } = setup();
      keystroke(
        engine,
        backend,
        input('const items: Item[] = [];\nconst total = cartTotal(items);\nconst due = withTax(', undefined, {
          snippets: () => order,
        }),
      );
      await clock.advance(400);
      assert.ok(backend.requests[0]);
      requests.push(backend.requests[0]);
    }
    // What goes over the wire: not the abort signal or the stream callback.
    const strip = ({ signal: _signal, onText: _onText, rawPromptCut: _cut, ...rest }: FimRequest) => rest;
    assert.deepEqual(strip(requests[0]!), strip(requests[1]!));
    assert.match(requests[0]!.prefix, /cartTotal|withTax/, 'a related snippet is in the prompt');
  });

  it('sends the raw template for a base model, with snippets as repo files', async () => {
    const clock = new FakeClock();
    const backend = fakeBackend(
      clock,
      () => '\n  return a + b;<|file_sep|>other.ts',
      10,
      'qwen2.5-coder:1.5b-base',
      'raw-template',
    );
    const engine = new CompletionEngine({ settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0 }), clock });
    const call = keystroke(
      engine,
      backend,
      input('function add(a, b) {\n}\n', 20, {
        path: 'add.js',
        languageId: 'javascript',
        snippets: () => [{ path: 'sum.js', text: 'function sum(a, b) { return add(a, b); }' }],
      }),
    );
    await clock.advance(100);
    assert.equal(
      backend.requests[0]?.rawPrompt,
      '<|repo_name|>workspace\n<|file_sep|>sum.js\nfunction sum(a, b) { return add(a, b); }\n<|file_sep|>add.js\n<|fim_prefix|>function add(a, b) {<|fim_suffix|>\n}\n<|fim_middle|>',
    );
    // For a backend whose window it would overflow: the same prompt, the code before the cursor cut from its start.
    assert.equal(
      backend.requests[0]?.rawPromptCut?.(9),
      '<|repo_name|>workspace\n<|file_sep|>sum.js\nfunction sum(a, b) { return add(a, b); }\n<|file_sep|>add.js\n<|fim_prefix|>add(a, b) {<|fim_suffix|>\n}\n<|fim_middle|>',
    );
    assert.deepEqual(
      call.result?.map((s) => s.insertText),
      ['\n  return a + b;'],
      'the leaked control token and what follows are cut',
    );
  });

  it('names a file outside the workspace by its file name in a repo-level template, never by its absolute path', async () => {
    const clock = new FakeClock();
    const backend = fakeBackend(clock, () => '\n  return a + b;', 10, 'qwen2.5-coder:1.5b-base', 'raw-template');
    const engine = new CompletionEngine({ settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0 }), clock });
    keystroke(
      engine,
      backend,
      input('function add(a, b) {\n}\n', 20, {
        path: '/home/alice/scratch/add.js',
        languageId: 'javascript',
        snippets: () => [{ path: 'C:\\Users\\alice\\sum.js', text: 'function sum(a, b) { return add(a, b); }' }],
      }),
    );
    await clock.advance(100);
    assert.equal(
      backend.requests[0]?.rawPrompt,
      '<|repo_name|>workspace\n<|file_sep|>sum.js\nfunction sum(a, b) { return add(a, b); }\n<|file_sep|>add.js\n<|fim_prefix|>function add(a, b) {<|fim_suffix|>\n}\n<|fim_middle|>',
    );
  });

  it('asks for one line mid-line and for a block after an opener', async () => {
    const { clock, backend, engine } = setup({}, () => 'a, b');
    keystroke(engine, backend, input('call(x, ) + 1', 'call(x, '.length));
    await clock.advance(400);
    keystroke(engine, backend, input('function add(a, b) {\n}', 'function add(a, b) {'.length));
    await clock.advance(400);
    assert.deepEqual(
      backend.requests.map((r) => r.stop),
      [['\n'], ['\n\n\n']],
    );
    assert.ok(
      (backend.requests[0]?.maxTokens ?? 0) < (backend.requests[1]?.maxTokens ?? 0),
      'a single line gets a smaller token budget',
    );
  });

  it("writes the answer in the editor's indentation when the text before the cursor does not show it", async () => {
    const doc = 'package main\n\nfunc f() error {';
    const answerWith = async (insertSpaces: boolean) => {
      const { clock, backend, engine } = setup({}, () => '\n    return nil');
      const at = input(`${doc}\n}\n`, doc.length, {
        languageId: 'go',
        path: 'a.go',
        indentation: { insertSpaces, indentSize: 4 },
      });
      const call = keystroke(engine, backend, at);
      await clock.advance(400);
      return call.result?.map((s) => s.insertText);
    };
    assert.deepEqual(await answerWith(false), ['\n\treturn nil']);
    assert.deepEqual(await answerWith(true), ['\n    return nil']);
  });

  it('returns several candidates for a manual trigger, at once and without duplicates', async () => {
    let call = 0;
    const { clock, backend, engine } = setup(
      { manualCandidates: 3 },
      () => ['\n  return a + b;\n', '\n  return a + b;\n', '\n  const sum = a + b;\n  return sum;'][call++] ?? '',
    );
    const manual = keystroke(engine, backend, input('function add(a, b) {\n}', 20, { trigger: 'invoke' }));
    await clock.advance(250);
    assert.equal(backend.requests.length, 3);
    assert.deepEqual(
      manual.result?.map((s) => s.insertText),
      ['\n  return a + b;', '\n  const sum = a + b;\n  return sum;', '\n  const sum = a + b;'],
      'the two equal answers shown once, plus the first line of the multi-line one',
    );
  });

  it('passes a backend failure to the caller and does not cache it', async () => {
    const clock = new FakeClock();
    let fail = true;
    const backend = fakeBackend(clock, () => {
      if (fail) throw new ProviderError({ kind: 'rate-limited', providerId: 'fake', message: 'slow down' });
      return ' 42;';
    });
    const engine = new CompletionEngine({ settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0 }), clock });
    const failed = keystroke(engine, backend, input('const answer ='));
    await clock.advance(300);
    assert.ok(ProviderError.is(failed.error, 'rate-limited'));
    fail = false;
    const retried = keystroke(engine, backend, input('const answer ='));
    await clock.advance(300);
    assert.deepEqual(
      retried.result?.map((s) => s.insertText),
      [' 42;'],
    );
  });
});

describe('completion engine: streamed answers', () => {
  /**
   * A backend that streams `answer` a line every `lineMs` after `latencyMs`, calling `onText` with
   * the text so far, and settles when the last line is in (or rejects with `failAfterLines`).
   */
  function streamingSetup(
    answer: string,
    lineMs = 100,
    latencyMs = 150,
    failAfterLines?: number,
    route: 'completions-suffix' | 'chat' = 'completions-suffix',
  ) {
    const clock = new FakeClock();
    const requests: FimRequest[] = [];
    /** Per request, how many lines had been sent when the engine said it had enough. */
    const stoppedAfter: (number | undefined)[] = [];
    const backend: CompletionBackend = {
      id: 'stream',
      model: 'test-model',
      fim(request) {
        const index = requests.push(request) - 1;
        const pieces = answer.split(/(?<=\n)/);
        return new Promise((resolve, reject) => {
          let sent = '';
          const timers: unknown[] = [];
          pieces.forEach((piece, i) => {
            timers.push(
              clock.setTimeout(
                () => {
                  if (failAfterLines !== undefined && i === failAfterLines) {
                    reject(new ProviderError({ kind: 'network', providerId: 'stream', message: 'reset' }));
                    return;
                  }
                  sent += piece;
                  // As the providers do: a listener with enough closes the stream there.
                  if (request.onText?.(sent, route) === 'enough' && i < pieces.length - 1) {
                    for (const timer of timers) clock.clearTimeout(timer);
                    stoppedAfter[index] = i + 1;
                    resolve({
                      text: route === 'chat' ? cleanHoleFillAnswer(sent) : sent,
                      model: 'test-model',
                      route,
                      stoppedEarly: true,
                      usage: {
                        inputTokens: 10,
                        outputTokens: 4,
                        cacheReadTokens: 0,
                        cacheWriteTokens: 0,
                        reported: false,
                      },
                    });
                    return;
                  }
                  if (i === pieces.length - 1)
                    resolve({
                      // The chat route cleans a whole answer as fimOverChat does.
                      text: route === 'chat' ? cleanHoleFillAnswer(sent) : sent,
                      model: 'test-model',
                      route,
                      usage: {
                        inputTokens: 10,
                        outputTokens: 40,
                        cacheReadTokens: 0,
                        cacheWriteTokens: 0,
                        reported: true,
                      },
                    });
                },
                latencyMs + i * lineMs,
              ),
            );
          });
          request.signal?.addEventListener('abort', () => {
            for (const timer of timers) clock.clearTimeout(timer);
            reject(new ProviderError({ kind: 'cancelled', providerId: 'stream', message: 'cancelled' }));
          });
        });
      },
    };
    const engine = new CompletionEngine({
      settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0 }),
      clock,
    });
    return { clock, backend, engine, requests, stoppedAfter };
  }

  const RUNS_ON = ' + 1;\nconsole.log(total);\nconst more = total * 2;\nexport { more };\nexport { total };\n';

  it("shows a line completion's first line as soon as it is in, not when the whole answer is", async () => {
    const { clock, backend, engine } = streamingSetup(RUNS_ON);
    const call = keystroke(engine, backend, input('const total = items.length'));
    await clock.advance(260);
    assert.deepEqual(
      call.result?.map((s) => s.insertText),
      [' + 1;'],
      'shown 110 ms after the first byte; the whole answer needs 400 ms more',
    );
  });

  it('waits while a first line opens a block, and shows the block once it closes', async () => {
    const answer = ' {\n  return a + b;\n}\n\nfunction next() {\n  return 0;\n}\n';
    const { clock, backend, engine } = streamingSetup(answer);
    const call = keystroke(engine, backend, input('function add(a: number, b: number)'));
    await clock.advance(300);
    const early: unknown = call.result;
    assert.equal(early, undefined, 'two lines in, the block is still open');
    await clock.advance(60);
    assert.deepEqual(
      call.result?.map((s) => s.insertText),
      [' {\n  return a + b;\n}'],
      'shown with its closing line, 500 ms before the answer ends',
    );
  });

  /** After the whole answer is in, the user takes its first line and types into the next one. */
  async function assertTypeAheadAcrossEnter(setup: ReturnType<typeof streamingSetup>) {
    const { clock, backend, engine, requests } = setup;
    keystroke(engine, backend, input('const total = items.length'));
    await clock.advance(1_000);
    const next = keystroke(engine, backend, input('const total = items.length + 1;\nconsole'));
    await clock.advance(1);
    assert.deepEqual(
      next.result?.map((s) => [s.insertText, s.source]),
      [['.log(total);', 'type-ahead']],
    );
    assert.equal(requests.length, 1);
  }

  it('serves the rest for type-ahead across Enter once it has arrived, without a new request', () =>
    assertTypeAheadAcrossEnter(streamingSetup(RUNS_ON)));

  it('stops the rest of a shown answer once the user goes elsewhere and a new request starts', async () => {
    const { clock, backend, engine, requests } = streamingSetup(RUNS_ON);
    keystroke(engine, backend, input('const total = items.length')).cancel();
    await clock.advance(260);
    const along = keystroke(engine, backend, input('const total = items.length + 1;'));
    await clock.advance(1);
    assert.equal(requests[0]?.signal?.aborted, false, 'typing along the ghost text keeps the rest coming');
    along.cancel();
    keystroke(engine, backend, input('const total = items.length * 2'));
    await clock.advance(1);
    assert.equal(requests.length, 2);
    assert.equal(requests[0]?.signal?.aborted, true, 'the rest of the first answer would be billed for nothing');
  });

  it('at the end of the ghost text, waits for the rest rather than asking again, and shows the next line', async () => {
    const { clock, backend, engine, requests } = streamingSetup(RUNS_ON);
    keystroke(engine, backend, input('const total = items.length')).cancel();
    await clock.advance(260);
    const atLineEnd = keystroke(engine, backend, input('const total = items.length + 1;'));
    await clock.advance(1_000);
    assert.equal(requests.length, 1, 'no second request while the first still streams');
    assert.deepEqual(
      atLineEnd.result?.map((s) => [s.insertText, s.source]),
      [['\nconsole.log(total);', 'type-ahead']],
    );
  });

  describe('stopping a stream once nothing more of it would be used', () => {
    const lines = (count: number, make: (i: number) => string) =>
      Array.from({ length: count }, (_, i) => `${make(i)}\n`).join('');

    it('stops a model that runs on once the lines kept for type-ahead are in, and serves them across Enter', async () => {
      const setup = streamingSetup(` + 1;\n${lines(40, (i) => `console.log(total, ${i});`)}`);
      const { clock, backend, engine, requests, stoppedAfter } = setup;
      const call = keystroke(engine, backend, input('const total = items.length'));
      await clock.advance(5_000);
      assert.deepEqual(
        call.result?.map((s) => s.insertText),
        [' + 1;'],
      );
      assert.equal(stoppedAfter[0], 13, 'the shown line and the 12 kept after it; 28 more would be billed for nothing');
      assert.equal(engine.stats.aborted, 0, 'an answer, not a cancelled request');
      const next = keystroke(engine, backend, input('const total = items.length + 1;\nconsole'));
      await clock.advance(1);
      assert.deepEqual(
        next.result?.map((s) => [s.insertText, s.source]),
        [['.log(total, 0);', 'type-ahead']],
      );
      const last = keystroke(
        engine,
        backend,
        input(`const total = items.length + 1;\n${lines(11, (i) => `console.log(total, ${i});`)}console`),
      );
      await clock.advance(1);
      assert.deepEqual(
        last.result?.map((s) => [s.insertText, s.source]),
        [['.log(total, 11);', 'type-ahead']],
        'the twelfth kept line came before the stream was closed',
      );
      assert.equal(requests.length, 1);
    });

    it('stops at a blank line after the shown text: the model moved on to something else', async () => {
      const answer = ` + 1;\nconsole.log(total);\n\nfunction next() {\n${lines(30, (i) => `  step(${i});`)}}\n`;
      const setup = streamingSetup(answer);
      assert.equal(setup.stoppedAfter[0], undefined);
      await assertTypeAheadAcrossEnter(setup);
      assert.equal(setup.stoppedAfter[0], 3);
    });

    it('does not stop while the ghost text is still open (a block not yet closed)', async () => {
      const block = ` {\n${lines(6, (i) => `  step(${i});`)}}`;
      const answer = `${block}\n\nfunction next() {\n${lines(30, (i) => `  step(${i});`)}}\n`;
      const { clock, backend, engine, stoppedAfter } = streamingSetup(answer);
      const call = keystroke(engine, backend, input('function run()'));
      await clock.advance(5_000);
      assert.equal(call.result?.[0]?.insertText, block);
      assert.equal(stoppedAfter[0], 9, 'stopped at the blank line after the block, not before the block closed');
    });

    it("over chat: stops at the fence's close, before the model explains its code", async () => {
      const prose = lines(20, (i) => `Sentence ${i} about what the code does.`);
      const setup = streamingSetup(`\`\`\`ts\n${RUNS_ON}\`\`\`\n${prose}`, 100, 150, undefined, 'chat');
      await assertTypeAheadAcrossEnter(setup);
      assert.equal(setup.stoppedAfter[0], 7, 'the fence, five lines of code and the closing fence');
    });
  });

  it('keeps what it showed when the stream breaks after the first line, and the caller sees no error', async () => {
    const { clock, backend, engine } = streamingSetup(RUNS_ON, 100, 150, 2);
    const call = keystroke(engine, backend, input('const total = items.length'));
    await clock.advance(1_000);
    assert.equal(call.error, undefined);
    assert.deepEqual(
      call.result?.map((s) => s.insertText),
      [' + 1;'],
    );
  });

  it('judges a stream line by line only so far: past 16 KB it waits for the end instead', async () => {
    const long = ` + ${'1 + '.repeat(5_000)}1;`;
    const { clock, backend, engine } = streamingSetup(`${long}\nconsole.log(total);\nexport { total };\n`);
    const call = keystroke(engine, backend, input('const total = items.length'));
    await clock.advance(260);
    const early: unknown = call.result;
    assert.equal(early, undefined, 'a first line of 20 KB is not judged as it streams');
    await clock.advance(300);
    assert.deepEqual(
      call.result?.map((s) => s.insertText),
      [long],
      'shown once the answer has ended',
    );
  });

  describe('over chat (a chat model fills the hole)', () => {
    const CHAT = (answer: string) => streamingSetup(answer, 100, 150, undefined, 'chat');

    it('shows the first line of a fenced chat answer as soon as it is in, without the fence', async () => {
      const { clock, backend, engine } = CHAT(`\`\`\`ts\n${RUNS_ON}\`\`\`\n`);
      const call = keystroke(engine, backend, input('const total = items.length'));
      await clock.advance(360);
      assert.deepEqual(
        call.result?.map((s) => s.insertText),
        [' + 1;'],
        'shown with the second line; the whole answer needs 500 ms more',
      );
    });

    it('drops a repeat of the line before the cursor from the early text, as from the whole answer', async () => {
      const { clock, backend, engine } = CHAT(`const total = items.length${RUNS_ON}`);
      const call = keystroke(engine, backend, input('const total = items.length'));
      await clock.advance(260);
      assert.deepEqual(
        call.result?.map((s) => s.insertText),
        [' + 1;'],
      );
    });

    it('shows nothing early while the answer may still be repeating the lines before the cursor', async () => {
      const typed = 'const items = load();\nconst count = items.length;\nconst total = items.reduce(add, 0)';
      const answer = `${typed};\nconsole.log(total, count);\nexport { total };\nexport { count };\n`;
      const whole = CHAT(answer);
      const wholeCall = keystroke(whole.engine, whole.backend, input(typed));
      await whole.clock.advance(2_000);
      assert.deepEqual(
        wholeCall.result?.map((s) => s.insertText),
        [';'],
        'the whole answer repeats two lines and the typed one; what is new is the semicolon',
      );
      const { clock, backend, engine } = CHAT(answer);
      const call = keystroke(engine, backend, input(typed));
      await clock.advance(260);
      const early: unknown = call.result;
      assert.equal(early, undefined, 'its first line repeats a line before the cursor: not yet known to be new');
      await clock.advance(2_000);
      assert.deepEqual(
        call.result?.map((s) => s.insertText),
        [';'],
      );
    });

    it('shows a single line of a fenced chat answer once it is in, while the model writes on', async () => {
      const answer = '```ts\nthe items in the cart\nconst unrelated = 1;\nconst more = 2;\n```\n';
      const { clock, backend, engine, requests } = CHAT(answer);
      const call = keystroke(engine, backend, input('// Sums '));
      await clock.advance(360);
      assert.deepEqual(
        call.result?.map((s) => s.insertText),
        ['the items in the cart'],
        'shown with the line after it, 300 ms before the answer ends',
      );
      assert.equal(typeof requests[0]?.onText, 'function');
    });

    it('serves the rest of a fenced chat answer for type-ahead across Enter, without a new request', () =>
      assertTypeAheadAcrossEnter(CHAT(`\`\`\`ts\n${RUNS_ON}\`\`\`\n`)));

    it('waits for the code when a chat model opens with prose that introduces a fence', async () => {
      const { clock, backend, engine } = CHAT(`Here is the code:\n\`\`\`ts\n${RUNS_ON}\`\`\`\n`);
      const call = keystroke(engine, backend, input('const total = items.length'));
      await clock.advance(260);
      const early: unknown = call.result;
      assert.equal(early, undefined, 'the prose is never ghost text');
      await clock.advance(200);
      assert.deepEqual(
        call.result?.map((s) => s.insertText),
        [' + 1;'],
      );
    });
  });
});
