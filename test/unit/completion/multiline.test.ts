import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeWindowStart, scanCode, syntaxFor } from '../../../src/core/completion/codeScan';
import { completionShape, type CompletionShape } from '../../../src/core/completion/multiline';

/** Splits a document at the cursor mark and asks for the decision there. */
function shapeAt(doc: string, languageId = 'typescript'): CompletionShape {
  const [prefix = '', suffix = ''] = doc.split('█');
  return completionShape(prefix, suffix, languageId);
}

describe('the shape of a completion: block, line or single line', () => {
  it('is multi-line after an opener at the end of a line, closers after the cursor or not', () => {
    assert.equal(shapeAt('function add(a: number, b: number) {█\n}\n'), 'block');
    assert.equal(shapeAt('items.map((item) => {█});\n'), 'block', 'only closers after the cursor');
    assert.equal(shapeAt('const point = [█]'), 'block');
    assert.equal(shapeAt('const onClick = () =>█\n'), 'block');
    assert.equal(shapeAt('if (ready) { █\n'), 'block', 'a space after the brace');
  });

  it('is multi-line at an empty block: a fresh indented line, or top level after a blank line', () => {
    assert.equal(shapeAt('class Cart {\n  total = 0;\n\n  █\n}\n'), 'block');
    assert.equal(shapeAt('import { x } from "./x";\n\n█'), 'block');
    assert.equal(shapeAt('█'), 'block', 'an empty file');
  });

  it("is multi-line after a Python ':' but not after a TypeScript one", () => {
    assert.equal(shapeAt('def area(radius):█\n', 'python'), 'block');
    assert.equal(shapeAt('for item in cart:\n    if item.free:█', 'python'), 'block');
    assert.equal(shapeAt('switch (kind) {\n  case "a":█\n', 'typescript'), 'line');
  });

  it('is single-line mid-line', () => {
    assert.equal(shapeAt('const total = █items.length;'), 'single');
    assert.equal(shapeAt('foo(█bar)'), 'single', 'after an opener, but real text follows');
    assert.equal(shapeAt('if (█x > 0) {'), 'single');
  });

  it('is a line that may grow at the end of a line of code that opens nothing (yet)', () => {
    assert.equal(shapeAt('const total = 0;█\n'), 'line', 'the model may give the next line');
    assert.equal(shapeAt('  return a█\n}'), 'line');
    assert.equal(shapeAt('export interface User █\n'), 'line', 'the model may give the block');
    assert.equal(shapeAt('def area(radius)█\n', 'python'), 'line');
    assert.equal(shapeAt('.button█\n', 'css'), 'line');
  });

  it('is single-line in a line comment, in each family of comment markers', () => {
    assert.equal(shapeAt('// Returns the sum of {█\n'), 'single', 'an opener inside a comment opens nothing');
    assert.equal(shapeAt('const x = 1; // see (█'), 'single');
    assert.equal(shapeAt('# group the rows by [█', 'python'), 'single');
    assert.equal(shapeAt('  # install deps:█', 'yaml'), 'single');
    assert.equal(shapeAt('echo done # {█', 'shellscript'), 'single');
    assert.equal(shapeAt('-- totals per (█', 'sql'), 'single');
    assert.equal(shapeAt('-- cache the {█', 'lua'), 'single');
  });

  it('YAML: an apostrophe inside a plain value is text, not a string; a quote that starts a value is one', () => {
    const steps = 'jobs:\n  test:\n    steps:\n';
    assert.equal(
      shapeAt(`${steps}      - name: Run the project's tests█\n`, 'yaml'),
      shapeAt(`${steps}      - name: Run the tests█\n`, 'yaml'),
    );
    assert.notEqual(shapeAt(`${steps}      - name: Run the project's tests█\n`, 'yaml'), 'single');
    const yaml = syntaxFor('yaml');
    assert.equal(scanCode("title: It's done", yaml).mode, 'code');
    assert.equal(scanCode("title: 'It is", yaml).mode, 'string');
    assert.equal(scanCode('- "quoted', yaml).mode, 'string');
    assert.equal(scanCode("tags: ['a', 'b", yaml).mode, 'string');
    assert.equal(scanCode("key: don't # a comment's words", yaml).mode, 'line-comment');
  });

  it('moves a window that starts inside a string or comment back to where it opens', () => {
    const python = syntaxFor('python');
    const text = 'x = 1\n"""long\ndocstring\n"""\ny = 2\n';
    const inside = text.indexOf('docstring');
    assert.equal(codeWindowStart(text, inside, python), text.indexOf('"""'));
    assert.equal(codeWindowStart(text, text.indexOf('y = 2'), python), text.indexOf('y = 2'), 'a start in code stays');
    const ts = syntaxFor('typescript');
    const commented = 'let a;\n/* a comment\nthat goes on */ let b;';
    assert.equal(codeWindowStart(commented, commented.indexOf('that'), ts), commented.indexOf('/*'));
    assert.equal(codeWindowStart(commented, 0, ts), 0);
  });

  it('is single-line inside an unclosed block comment, multi-line once it is closed', () => {
    assert.equal(shapeAt('/**\n * Adds two numbers.\n * █\n */'), 'single');
    assert.equal(shapeAt('/* helpers */\nfunction f() {█\n}'), 'block');
  });

  it('is a block right after an opening triple quote, single-line further inside the docstring', () => {
    assert.equal(shapeAt('def area(radius):\n    """█', 'python'), 'block');
    assert.equal(shapeAt('def area(radius):\n    """█"""', 'python'), 'single', 'the editor closed it already');
    assert.equal(shapeAt('def area(radius):\n    """Area of █', 'python'), 'single');
    assert.equal(shapeAt('def area(radius):\n    """Area of a circle."""\n    █', 'python'), 'block');
  });

  it('does not take comment markers inside strings for comments', () => {
    assert.equal(shapeAt('fetch("https://example.com/api", {█\n'), 'block');
    assert.equal(shapeAt("print('# of rows:', {█", 'python'), 'block');
    assert.equal(shapeAt('[ $# -eq 0 ] && {█', 'shellscript'), 'block', '$# is not a shell comment');
    assert.equal(shapeAt('const quote = "\\"//"; render({█'), 'block', 'an escaped quote does not end the string');
  });

  it('reads a Rust lifetime as code, not as an unclosed char literal', () => {
    assert.equal(shapeAt("fn first(words: &'a str) {█\n}", 'rust'), 'block');
    assert.equal(shapeAt("let quote = '\"'; if ok {█", 'rust'), 'block', 'a char literal holding a double quote');
  });
});

describe('the code scanner', () => {
  it('visits code only, and carries a string from one piece of text to the next', () => {
    const seen: string[] = [];
    const state = scanCode('f("(", /* ( */ x) // )\ng(`a', syntaxFor('typescript'), undefined, (ch) => {
      if ('()'.includes(ch)) seen.push(ch);
    });
    assert.deepEqual(seen, ['(', ')', '(']);
    assert.equal(state.mode, 'string', 'a template literal spans lines');
    const after: string[] = [];
    scanCode('\nb`)', syntaxFor('typescript'), state, (ch) => after.push(ch));
    assert.deepEqual(after, [')'], 'the backtick closes the literal begun before');
  });
});
