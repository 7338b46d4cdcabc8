import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionShape } from '../../../src/core/completion/multiline';
import { postProcess, type PostProcessContext } from '../../../src/core/completion/postprocess';

/**
 * Post-processes `raw` at the cursor mark of `doc`, in the shape `completionShape`
 * decides there unless `options` says otherwise.
 */
function complete(doc: string, raw: string, options: Partial<PostProcessContext> = {}): string {
  const [prefix = '', suffix = ''] = doc.split('█');
  const languageId = options.languageId ?? 'typescript';
  return postProcess(raw, {
    prefix,
    suffix,
    languageId,
    shape: completionShape(prefix, suffix, languageId),
    multiline: completionShape(prefix, suffix, languageId) !== 'single',
    maxLines: 12,
    stops: [],
    fromChat: false,
    ...options,
  });
}

const chat = { fromChat: true };

describe('post-processing: correct answers', () => {
  it('passes a correct answer through unchanged', () => {
    assert.equal(complete('function add(a: number, b: number) {█\n}\n', '\n  return a + b;'), '\n  return a + b;');
    assert.equal(
      complete('const total = items.reduce(█);\n', '(sum, item) => sum + item.price, 0'),
      '(sum, item) => sum + item.price, 0',
    );
    assert.equal(
      complete('def area(r):\n    █\n', 'return math.pi * r ** 2', { languageId: 'python' }),
      'return math.pi * r ** 2',
    );
    const block = 'if (!user) {\n    throw new Error("no user");\n  }\n  return user.name;';
    assert.equal(complete('function name(user) {\n  █\n}\n', block), block);
  });

  it('keeps only the first line after code, or the next line when the answer starts with a line break', () => {
    assert.equal(complete('const limit = █\n', '10;\nconst offset = 0;'), '10;');
    assert.equal(complete('const limit = 10;█\n', '\nconst offset = 0;\nconst page = 1;'), '\nconst offset = 0;');
    assert.equal(complete('foo(█bar)', 'a, \nb'), 'a, ', 'mid-line: the first line only');
  });
});

describe('post-processing: leaked control tokens', () => {
  it('cuts at the control tokens of every FIM family, whatever the template', () => {
    const leaks = [
      'total += price;<|fim_suffix|>\n}',
      'total += price;<|fim_middle|>',
      'total += price;<|endoftext|><|fim_prefix|>',
      'total += price;<|file_sep|>src/cart.ts',
      'total += price;<|im_end|>',
      'total += price;<｜fim▁hole｜>}',
      'total += price;<｜end▁of▁sentence｜>',
      'total += price;<|EOT|>',
      'total += price; <EOT>',
      'total += price;<MID>',
      'total += price;[SUFFIX]}',
      'total += price;</s>',
      'total += price;<fim_middle>',
      'total += price;<|file_separator|>',
      'total += price;<end_of_turn>',
      'total += price;<eos>',
    ];
    for (const raw of leaks) assert.equal(complete('  █\n', raw), 'total += price;', raw);
  });

  it("cuts at the template's own stop strings", () => {
    assert.equal(complete('█', 'x = 1\n\n\ndef other():', { stops: ['\n\n\n'], languageId: 'python' }), 'x = 1');
  });

  it('does not take HTML for CodeLlama tokens', () => {
    assert.equal(complete('const html = `█`;', '<pre>code</pre>'), '<pre>code</pre>');
  });
});

describe('post-processing: the suffix already has it', () => {
  it('drops a closing brace line the suffix repeats', () => {
    assert.equal(complete('function total() {\n  █\n}\n', 'return sum;\n}'), 'return sum;');
    assert.equal(complete('items.map((item) => {█});\n', '\n  return item.id;\n});'), '\n  return item.id;');
  });

  it('drops `);` repeated at the end of the line, and a `)` the rest of the line supplies', () => {
    assert.equal(complete('  console.log(█);\n', "'ready');"), "'ready'");
    assert.equal(complete('foo(█)', 'a, b)'), 'a, b');
    assert.equal(complete('send(█, options)', 'payload)', { multiline: false }), 'payload');
  });

  it('drops `;` and a closing quote the rest of the line already has', () => {
    assert.equal(complete('const x = █;', 'compute();'), 'compute()');
    assert.equal(complete('const greeting = "█";', 'hello, world";'), 'hello, world');
  });

  it('keeps an escaped quote that ends the answer: it is text in the string, not its end', () => {
    assert.equal(complete('const msg = "█";', 'He said \\"hi\\"'), 'He said \\"hi\\"');
    assert.equal(complete('const html = "█";', '<a href=\\"/home\\"'), '<a href=\\"/home\\"');
    assert.equal(complete("msg = '█'", "it\\'", { languageId: 'python' }), "it\\'");
    // An escaped backslash escapes nothing: the quote after it ends the string.
    assert.equal(complete('const dir = "█";', 'C:\\\\";'), 'C:\\\\');
  });

  it('drops trailing lines that repeat the next lines after the cursor', () => {
    assert.equal(
      complete('function f(a) {\n  █\n  return a + b;\n}\n', 'const b = 2;\n  return a + b;'),
      'const b = 2;',
    );
  });

  it('returns nothing when the completion only repeats what follows the cursor', () => {
    assert.equal(complete('function f() {\n  █\n  return x;\n}\n', 'return x;'), '');
    assert.equal(complete('function f() {\n  return x;█\n}\n', ' }'), '');
    assert.equal(complete('if (ready) █{\n', '{'), '');
  });

  it('keeps a trailing space before any text, non-ASCII and punctuation included', () => {
    assert.equal(complete('const title = "█😀 Done";', 'Task '), 'Task ');
    assert.equal(complete('const title = "█— see docs";', 'Deprecated '), 'Deprecated ');
    assert.equal(complete('const s = "█été";', 'un '), 'un ');
    assert.equal(complete('const x = a █- b;', '* 2 '), '* 2 ');
    assert.equal(complete('const note = "(█)";', 'see '), 'see ', 'in a string the space is text');
  });

  it('drops a trailing space before a closer, a separator, a space, or the end of the line', () => {
    assert.equal(complete('foo(█)', 'a '), 'a');
    assert.equal(complete('const xs = [1, █];', '2 '), '2');
    assert.equal(complete('const x = █;', 'compute() '), 'compute()');
    assert.equal(complete('f(a█, b)', ' + 1 '), ' + 1');
    assert.equal(complete('const name = █.trim();', 'input '), 'input');
    assert.equal(complete('const s = "Hello █ world";', 'big '), 'big', 'never a doubled space');
    assert.equal(complete('const x = a █ - b;', '* 2 '), '* 2');
    assert.equal(complete('const total = █\n', 'a + b '), 'a + b');
  });

  it('drops words the rest of the line repeats, keeping the space before them', () => {
    assert.equal(complete('const area = █height;', 'width * height;'), 'width * ');
    assert.equal(complete('const total = █items.length;', 'cart.items'), 'cart.');
  });
});

describe('post-processing: a tail that repeats the rest of the line, brackets and all', () => {
  it('drops a repeated rest of the line whose brackets pair up within it', () => {
    assert.equal(complete('const counts = new Map<string, █>();', 'number>();'), 'number');
    assert.equal(complete('const name = █.trim();', 'input.value.trim();'), 'input.value');
    assert.equal(complete('    cleaned = █.strip()', 'line.strip()', { languageId: 'python' }), 'line');
    assert.equal(
      complete('let names: Vec<█> = Vec::new();', 'String> = Vec::new();', { languageId: 'rust' }),
      'String',
    );
  });

  it('drops the closer of an interpolation the editor closed: `${}` in a template, `{}` in an f-string', () => {
    assert.equal(complete('const msg = `Hello ${█}`;', 'user.name}`;'), 'user.name');
    assert.equal(complete('print(f"Hello {█}")', 'name}")', { languageId: 'python' }), 'name');
  });

  it("keeps a closer of the completion's own opener, and a tail that is not the rest of the line", () => {
    assert.equal(complete('foo(█)', 'bar()'), 'bar()');
    assert.equal(complete('const x = █;', 'compute(a, b);'), 'compute(a, b)');
    assert.equal(complete('render(█)', 'items.map((item) => item.name))'), 'items.map((item) => item.name)');
  });
});

describe('post-processing: brackets', () => {
  it('keeps a closer that closes its own opener', () => {
    assert.equal(complete('foo(█)', 'bar()'), 'bar()');
    assert.equal(complete('function f(x) {\n  █\n}\n', 'if (x) {\n    go();\n  }'), 'if (x) {\n    go();\n  }');
  });

  it('keeps a closer the suffix does not supply', () => {
    assert.equal(complete('class Cart {\n  total() {█\n}\n', '\n    return 1;\n  }'), '\n    return 1;\n  }');
    assert.equal(complete('outer(\n  foo(█\n  x,\n)', 'a)'), 'a)', 'the later `)` belongs to outer(');
    assert.equal(complete('wrap(parse(█)', 'text))'), 'text)', 'one `)` is there, the other is needed');
    const spec = 'describe("cart", () => {\n  it("adds", () => {\n    expect(█\n  });\n});\n';
    assert.equal(
      complete(spec, 'cart.total).toBe(3);'),
      'cart.total).toBe(3);',
      'the suffix closes only it( and describe(',
    );
    assert.equal(complete('setState({█)', ' count: 1 })'), ' count: 1 }', 'the `)` after the cursor closes setState(');
  });

  it('ignores brackets inside strings and comments', () => {
    assert.equal(complete('text.split(█)', "')')"), "')'");
    assert.equal(complete('pick(█)', '"}") // ) closes pick'), '"}"');
  });

  it('keeps an opener the rest of the line closes, or one that continues on the next line', () => {
    assert.equal(complete('foo(█)', 'bar(x', { multiline: false }), 'bar(x');
    assert.equal(complete('const result = █', 'compute(first,'), 'compute(first,');
    assert.equal(complete('const result = █', 'await fetch(url, {'), 'await fetch(url, {');
  });

  it('cuts a single line that stops inside a bracket nothing closes back to before it', () => {
    assert.equal(complete('const x = █', 'console.log(foo(a, b'), 'console.log');
  });

  it('leaves a multi-line completion open: the next request goes on', () => {
    assert.equal(complete('function f() {█', '\n  if (x) {\n    go(', { maxLines: 3 }), '\n  if (x) {\n    go(');
  });
});

describe('post-processing: indentation and lines', () => {
  it('stops a Python block where it dedents', () => {
    const doc = 'def add(a, b):█\n\nprint(add(1, 2))\n';
    assert.equal(
      complete(doc, '\n    return a + b\n\nprint(add(1, 2))', { languageId: 'python' }),
      '\n    return a + b',
    );
    const loop = 'for x in xs:\n    █\nprint("done")\n';
    const raw = 'total += x\nprint("done")\nprint("again")';
    assert.equal(complete(loop, raw, { languageId: 'python' }), 'total += x');
  });

  it("keeps Python's else: at the if's indentation", () => {
    const raw = '\n    a()\nelse:\n    b()\nprint()';
    assert.equal(complete('if ok:█\n', raw, { languageId: 'python' }), '\n    a()\nelse:\n    b()');
  });

  it('stops a TypeScript block at the closing line the suffix already has', () => {
    const doc = 'function f() {\n  if (ok) {\n    █\n  }\n  done();\n}\n';
    assert.equal(complete(doc, "log('ok');\n  }\n  done();\n}"), "log('ok');");
  });

  it('keeps `} else {` and the closing brace when the suffix does not close the block', () => {
    const raw = '\n  x();\n} else {\n  y();\n}\nmore();';
    assert.equal(complete('if (a) {█\n', raw), '\n  x();\n} else {\n  y();\n}');
  });

  it('drops the indentation a model repeats from a whitespace-only line', () => {
    assert.equal(complete('def add(a, b):\n    █', '    return a + b', { languageId: 'python' }), 'return a + b');
    assert.equal(complete('function f() {\n\t█\n}\n', '\treturn 1;\n}'), 'return 1;');
    assert.equal(
      complete('class A {\n  m() {\n    █\n  }\n}\n', '    this.x = 1;\n    this.y = 2;'),
      'this.x = 1;\n    this.y = 2;',
    );
  });

  it('caps the lines and drops trailing blank lines', () => {
    const raw = '\n' + '  step();\n'.repeat(20);
    assert.equal(complete('function run() {█\n}\n', raw, { maxLines: 3 }), '\n  step();\n  step();\n  step();');
    assert.equal(complete('function run() {█\n}\n', '\n  step();\n\n\n'), '\n  step();');
  });

  it('reads Windows line endings and answers with \\n (VS Code converts on insert)', () => {
    assert.equal(complete('function f() {\r\n  █\r\n}\r\n', 'return 1;\r\n}'), 'return 1;');
    assert.equal(complete('function f() {█\r\n}\r\n', '\r\n  a();\r\n  b();\r\n}'), '\n  a();\n  b();');
  });
});

describe('post-processing: chat answers', () => {
  const body = 'function add(a, b) {\n  █\n}\n';

  it('unwraps a fenced answer, with or without prose around it', () => {
    assert.equal(complete(body, '```ts\nreturn a + b;\n```', chat), 'return a + b;');
    const prose = 'Here is the completion:\n\n```typescript\nreturn a + b;\n```\nThis returns the sum.';
    assert.equal(complete(body, prose, chat), 'return a + b;');
    assert.equal(complete('x = █', 'foo()\n```', { ...chat, multiline: true }), 'foo()', 'a stray closing fence');
  });

  it('unwraps <COMPLETION>, <HOLE> and <code> tags', () => {
    assert.equal(complete(body, '<COMPLETION>return a + b;</COMPLETION>', chat), 'return a + b;');
    assert.equal(complete('const x = █', '<completion>\nfoo()\n</completion>', chat), 'foo()');
    assert.equal(complete('const x = █', '<HOLE>foo()</HOLE>', chat), 'foo()');
    assert.equal(complete('const x = █', '<code>foo()</code>', chat), 'foo()');
    const jsx = '<p>Use <code>npm</code></p>;';
    assert.equal(
      complete('const el = █', jsx, { ...chat, languageId: 'typescriptreact' }),
      jsx,
      '<code> inside JSX stays',
    );
    const hint = 'Run <code>npm test</code>';
    assert.equal(complete('  <p>█</p>', hint, { ...chat, languageId: 'typescriptreact' }), hint);
  });

  it('reads a line break after an opening tag as the next line only when the closing tag hugs the code', () => {
    const sql = { ...chat, languageId: 'sql' };
    const query = 'SELECT c.name\nFROM customers c█\n';
    assert.equal(complete(query, '<COMPLETION>\nJOIN orders o</COMPLETION>', sql), '\nJOIN orders o');
    assert.equal(complete(query, '<COMPLETION>\nJOIN orders o\n</COMPLETION>', sql), 'JOIN orders o');
    assert.equal(complete(query, '<COMPLETION>JOIN orders o</COMPLETION>', sql), 'JOIN orders o');
  });

  it("starts the code on the cursor's own empty line, whatever line breaks come before it", () => {
    const body = 'function f() {\n  █\n}\n';
    for (const raw of ['\nreturn 1;', '<COMPLETION>\nreturn 1;</COMPLETION>', '```ts\n\nreturn 1;\n```'])
      assert.equal(complete(body, raw, { ...chat, multiline: true, shape: 'block' }), 'return 1;', raw);
  });

  it('drops an echo of the current line and of the lines before it', () => {
    assert.equal(complete('  const total = █\n', 'const total = items.length;', chat), 'items.length;');
    assert.equal(complete('  ret█\n', 'return total;', chat), 'urn total;');
    assert.equal(complete('  r█\n', 'return total;', chat), 'eturn total;');
    assert.equal(complete('  const total = █\n', '\n\nitems.length;', chat), 'items.length;', 'leading blank lines');
    const echo = '```js\nfunction add(a, b) {\n  return a + b;\n}\n```';
    assert.equal(complete(body, echo, chat), 'return a + b;');
  });

  it('drops a repeat of the short header that opens the block the cursor starts', () => {
    const shell = { ...chat, languageId: 'shellscript', multiline: true, shape: 'block' as const };
    assert.equal(complete('log() {\n  █\n}\n', 'log() {\n  echo "$*"\n}', shell), 'echo "$*"');
    const python = { ...chat, languageId: 'python', multiline: true, shape: 'block' as const };
    assert.equal(complete('def f():\n    █\n', 'def f():\n    return 1', python), 'return 1');
    const js = { ...chat, multiline: true, shape: 'block' as const };
    assert.equal(complete('a();\n█\n', 'a();\nb();', js), 'a();\nb();', 'a short statement may well come twice');
  });

  it('does not take a repeated short closing line for an echo', () => {
    const doc = 'describe("cart", () => {\n  it("adds", () => {\n  });\n█';
    assert.equal(complete(doc, '});', chat), '});');
  });

  it('drops an echo of the suffix at the end of the answer', () => {
    assert.equal(complete('if (█) {\n  go();\n}\n', 'x > 0) {\n  go();\n}', chat), 'x > 0');
  });

  it('drops indentation a chat answer repeats, even shallower than the cursor line', () => {
    assert.equal(complete('class A {\n  m() {\n    █\n  }\n}\n', '  this.x = 1;', chat), 'this.x = 1;');
  });

  it('starts a new line after an opener when the answer forgot the line break', () => {
    assert.equal(complete('function f() {█\n}\n', '  return 1;', chat), '\n  return 1;');
  });

  it('puts an answer on the next line where it belongs there, and keeps it on the line where it continues it', () => {
    const go = { ...chat, languageId: 'go' };
    const body = 'func load() error {\n\terr := read()\n\treturn err█\n';
    assert.equal(complete(body, '\n}', go), '\n}', 'a line break the answer opens with, at the end of a line of code');
    assert.equal(complete(body, '```go\n\n}\n```', go), '\n}', 'the same inside a fence');
    assert.equal(complete(body, '}', go), '\n}', 'the closer of a block an earlier line opened, its line break lost');
    const ts = 'const config = {\n  mode: "dev",█\n};\n';
    assert.equal(complete(ts, '  entry: "./src/index.ts",', chat), '\n  entry: "./src/index.ts",', 'an indented line');
    assert.equal(complete('total(a, b█\n', ')', chat), ')', 'the parenthesis of the call on this line');
    assert.equal(
      complete('x = 1█\n', '  # one', { ...chat, languageId: 'python' }),
      '  # one',
      'a comment after the code',
    );
    assert.equal(complete('  const total = █\n', '\nitems.length;', chat), 'items.length;', 'after "= " the value');
    assert.equal(complete('const tot█\n', '\n\nal = items.length;', chat), 'al = items.length;', 'stray blank lines');
  });

  it("unwraps a fence in Markdown after a chat model's opening sentence, not after the document's own", () => {
    const md = { ...chat, languageId: 'markdown' };
    for (const preamble of ['Here is the completion:', "Sure! Here's the missing text:", 'The completion is:'])
      assert.equal(
        complete('Switchboard lets you █\n', `${preamble}\n\`\`\`\nchat on any backend.\n\`\`\``, md),
        'chat on any backend.',
        preamble,
      );
    const block = { ...md, multiline: true, shape: 'block' as const };
    const own = 'Install it with npm:\n```sh\nnpm install switchboard\n```';
    assert.equal(complete('## Install\n\n█\n', own, block), own);
  });

  it('keeps a fence that is part of the Markdown being written', () => {
    assert.equal(
      complete('Some text █', 'and more\n```js', { ...chat, languageId: 'markdown', multiline: true, shape: 'block' }),
      'and more\n```js',
    );
  });
});

describe('post-processing: whole blocks when a block is due (issue #14)', () => {
  it('gives the block a first line opens after a signature, a header or a selector', () => {
    assert.equal(
      complete(
        'export function total(items: Item[]): number█\n',
        ' {\n  return items.length;\n}\n\nexport const x = 1;',
      ),
      ' {\n  return items.length;\n}',
    );
    assert.equal(complete('interface User █\n', '{\n  id: string;\n}'), '{\n  id: string;\n}');
    assert.equal(
      complete('.button█\n', ' {\n  color: red;\n}\n\n.link {', { languageId: 'css' }),
      ' {\n  color: red;\n}',
    );
    assert.equal(
      complete('def area(r)█\n', ':\n    return r * r\n\nprint(area(2))', { languageId: 'python' }),
      ':\n    return r * r',
    );
    assert.equal(
      complete('class Account █\n', '{\npublic:\n    int id;\n};\n\nint main() {', { languageId: 'cpp' }),
      '{\npublic:\n    int id;\n};',
      'a bracket block ends where its brackets balance, whatever the indentation',
    );
  });

  it('keeps one line when the first line opens nothing', () => {
    assert.equal(complete('const limit = █\n', '10;\nconst offset = 0;'), '10;');
  });

  it('gives the whole docstring after an opening triple quote, and stops where it closes', () => {
    assert.equal(
      complete(
        'def f(path):\n    """█\n    return 1\n',
        'Read it.\n\n    Args:\n        path: the file.\n    """\n    return 1',
        {
          languageId: 'python',
        },
      ),
      'Read it.\n\n    Args:\n        path: the file.\n    """',
    );
  });

  it('accepts an answer that starts on the next line: a closing brace, the next key, a body', () => {
    assert.equal(complete('function f() {\n  return 1;█\n', '\n}'), '\n}');
    assert.equal(
      complete('services:\n  web:\n    image: nginx█\n', '\n    ports:\n      - "80"\n  db:', { languageId: 'yaml' }),
      '\n    ports:\n      - "80"',
    );
    assert.equal(
      complete('class A\n  def total█\nend\n', '\n    items.sum\n  end\n\n  def tax', { languageId: 'ruby' }),
      '\n    items.sum\n  end',
      'a body and the end that closes it, though the file has an end (the class one) after it',
    );
    assert.equal(
      complete('if [ -z "$X" ]; then█\n', '\n  exit 1\nfi\necho ok', { languageId: 'shellscript' }),
      '\n  exit 1\nfi',
    );
  });

  it('shows nothing for a next line that only repeats the line after the cursor', () => {
    assert.equal(complete('function f() {\n  a();█\n  b();\n}\n', '\n  b();'), '');
    assert.equal(complete('function f() {\n  return 1;█\n}\n', '\n}'), '');
  });

  it('never doubles a space the user already typed', () => {
    assert.equal(complete('const body = await █\n', ' request.json();'), 'request.json();');
    assert.equal(complete('name: █\n', ' CI', { languageId: 'yaml' }), 'CI');
    assert.equal(complete('if (a > █\n', '  b) {'), 'b) {');
  });

  it('drops a closing keyword line the file already has at the same indentation only', () => {
    assert.equal(complete('def greet(name)\n  █\nend\n', '"Hello"\nend', { languageId: 'ruby' }), '"Hello"');
    assert.equal(complete('for i in 1..3 do\n  █\nend\n', 'print(i)\nend', { languageId: 'lua' }), 'print(i)');
  });
});

describe("post-processing: indentation in the document's style", () => {
  /** The document once the suggestion for `raw` at its cursor mark is accepted. */
  function accepted(doc: string, raw: string, options: Partial<PostProcessContext> = {}): string {
    const [prefix = '', suffix = ''] = doc.split('█');
    return prefix + complete(doc, raw, options) + suffix;
  }
  const tabs = { indentation: { insertSpaces: false, indentSize: 4 } };

  it('writes a chat answer indented with spaces in tabs in a tab-indented file, every line kept', () => {
    assert.equal(
      accepted('function f(x) {\n\t█\n}\n', '    return x + 1;', chat),
      'function f(x) {\n\treturn x + 1;\n}\n',
    );
    assert.equal(
      accepted(
        'function f(x) {\n\tconst y = x;\n\t█\n}\n',
        '    if (y) {\n        return y;\n    }\n    return 0;',
        chat,
      ),
      'function f(x) {\n\tconst y = x;\n\tif (y) {\n\t\treturn y;\n\t}\n\treturn 0;\n}\n',
    );
  });

  it('writes Python lines indented with spaces in tabs in a tab-indented file: no TabError, no line lost', () => {
    const doc = 'def f(x):\n\tif x:\n\t\t█\n';
    const python = { languageId: 'python' };
    assert.equal(
      accepted(doc, 'y = x * 2\n        return y', python),
      'def f(x):\n\tif x:\n\t\ty = x * 2\n\t\treturn y\n',
    );
    assert.equal(
      accepted(doc, '        y = x * 2\n        return y', { ...python, ...chat }),
      'def f(x):\n\tif x:\n\t\ty = x * 2\n\t\treturn y\n',
    );
  });

  it('writes Go in tabs, whether the editor says so or the file shows it', () => {
    const doc = 'func load(path string) error {\n\t█\n}\n';
    const raw = '    if path == "" {\n        return errEmpty\n    }\n    return nil';
    const expected = 'func load(path string) error {\n\tif path == "" {\n\t\treturn errEmpty\n\t}\n\treturn nil\n}\n';
    assert.equal(accepted(doc, raw, { languageId: 'go', ...chat }), expected);
    assert.equal(accepted(doc, raw, { languageId: 'go', ...chat, ...tabs }), expected);
  });

  it('reads the unit of an answer indented with two spaces', () => {
    assert.equal(
      accepted('function f(y) {\n\t█\n}\n', '  if (y) {\n    return y;\n  }\n  return 0;', chat),
      'function f(y) {\n\tif (y) {\n\t\treturn y;\n\t}\n\treturn 0;\n}\n',
    );
  });

  it('keeps the spaces that align a comment after the tabs', () => {
    assert.equal(
      accepted('class A {\n\t█\n}\n', '    /**\n     * Runs.\n     */\n    run() {}', chat),
      'class A {\n\t/**\n\t * Runs.\n\t */\n\trun() {}\n}\n',
    );
  });

  it('writes a chat answer indented with a tab in spaces in a space-indented file', () => {
    assert.equal(
      accepted('function f(x) {\n  █\n}\n', '\treturn x + 1;', chat),
      'function f(x) {\n  return x + 1;\n}\n',
    );
    assert.equal(
      accepted('def f(x):\n    if x:\n        █\n', 'y = x * 2\n\t\treturn y', { languageId: 'python' }),
      'def f(x):\n    if x:\n        y = x * 2\n        return y\n',
    );
  });

  it('leaves the lines inside a template literal or a docstring as the model wrote them', () => {
    assert.equal(
      accepted(
        'function q() {\n\t█\n}\n',
        '    const sql = `\n        SELECT *\n        FROM t`;\n    return sql;',
        chat,
      ),
      'function q() {\n\tconst sql = `\n        SELECT *\n        FROM t`;\n\treturn sql;\n}\n',
    );
    assert.equal(
      complete(
        'def f(path):\n\t"""█\n\treturn 1\n',
        'Read it.\n\n    Args:\n        path: the file.\n    """\n    return 1',
        {
          languageId: 'python',
        },
      ),
      'Read it.\n\n    Args:\n        path: the file.\n    """',
    );
  });

  it("keeps a Makefile recipe's tabs, whatever the rest of the file or the editor says", () => {
    const doc = 'ifdef DEBUG\n    CFLAGS += -g\nendif\n\nall: app\n\t█\n';
    const raw = '\tgcc -o app main.c\n\tstrip app';
    const expected = 'ifdef DEBUG\n    CFLAGS += -g\nendif\n\nall: app\n\tgcc -o app main.c\n\tstrip app\n';
    const makefile = { languageId: 'makefile', ...chat };
    assert.equal(accepted(doc, raw, makefile), expected);
    assert.equal(accepted(doc, raw, { ...makefile, indentation: { insertSpaces: true, indentSize: 4 } }), expected);
  });

  it('drops a repeated indentation written another way, where the style is not clear', () => {
    // Lines indented both ways before the cursor: nothing is converted, but a tab is four columns.
    assert.equal(
      accepted('function f(x) {\n  a();\n\tb();\n\t█\n}\n', '    return x + 1;', chat),
      'function f(x) {\n  a();\n\tb();\n\treturn x + 1;\n}\n',
    );
  });

  it("keeps the file's own style when the editor's options say otherwise: no Python TabError", () => {
    const doc = 'def f(x):\n\tif x:\n\t\t█\n';
    assert.equal(
      accepted(doc, 'y = x * 2\n\t\treturn y', {
        languageId: 'python',
        indentation: { insertSpaces: true, indentSize: 4 },
      }),
      'def f(x):\n\tif x:\n\t\ty = x * 2\n\t\treturn y\n',
    );
  });

  it('leaves an answer already in the document style alone', () => {
    assert.equal(
      accepted('function f(x) {\n\t█\n}\n', '\tif (x) {\n\t\treturn 1;\n\t}', chat),
      'function f(x) {\n\tif (x) {\n\t\treturn 1;\n\t}\n}\n',
    );
    assert.equal(
      accepted('function f(x) {\n    █\n}\n', '    if (x) {\n        return 1;\n    }', chat),
      'function f(x) {\n    if (x) {\n        return 1;\n    }\n}\n',
    );
  });
});
