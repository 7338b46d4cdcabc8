import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanCode, syntaxFor } from '../../../src/core/completion/codeScan';
import { wantsMultiline } from '../../../src/core/completion/multiline';

/** Splits a document at the cursor mark and asks for the decision there. */
function multilineAt(doc: string, languageId = 'typescript'): boolean {
  const [prefix = '', suffix = ''] = doc.split('█');
  return wantsMultiline(prefix, suffix, languageId);
}

describe('single- or multi-line completion', () => {
  it('is multi-line after an opener at the end of a line, closers after the cursor or not', () => {
    assert.equal(multilineAt('function add(a: number, b: number) {█\n}\n'), true);
    assert.equal(multilineAt('items.map((item) => {█});\n'), true, 'only closers after the cursor');
    assert.equal(multilineAt('const point = [█]'), true);
    assert.equal(multilineAt('const onClick = () =>█\n'), true);
    assert.equal(multilineAt('if (ready) { █\n'), true, 'a space after the brace');
  });

  it('is multi-line at an empty block: a fresh indented line, or top level after a blank line', () => {
    assert.equal(multilineAt('class Cart {\n  total = 0;\n\n  █\n}\n'), true);
    assert.equal(multilineAt('import { x } from "./x";\n\n█'), true);
    assert.equal(multilineAt('█'), true, 'an empty file');
  });

  it("is multi-line after a Python ':' but not after a TypeScript one", () => {
    assert.equal(multilineAt('def area(radius):█\n', 'python'), true);
    assert.equal(multilineAt('for item in cart:\n    if item.free:█', 'python'), true);
    assert.equal(multilineAt('switch (kind) {\n  case "a":█\n', 'typescript'), false);
  });

  it('is single-line mid-line', () => {
    assert.equal(multilineAt('const total = █items.length;'), false);
    assert.equal(multilineAt('foo(█bar)'), false, 'after an opener, but real text follows');
    assert.equal(multilineAt('if (█x > 0) {'), false);
  });

  it('is single-line at the end of a line that opens nothing', () => {
    assert.equal(multilineAt('const total = 0;█\n'), false);
    assert.equal(multilineAt('  return a█\n}'), false);
  });

  it('is single-line in a line comment, in each family of comment markers', () => {
    assert.equal(multilineAt('// Returns the sum of {█\n'), false, 'an opener inside a comment opens nothing');
    assert.equal(multilineAt('const x = 1; // see (█'), false);
    assert.equal(multilineAt('# group the rows by [█', 'python'), false);
    assert.equal(multilineAt('  # install deps:█', 'yaml'), false);
    assert.equal(multilineAt('echo done # {█', 'shellscript'), false);
    assert.equal(multilineAt('-- totals per (█', 'sql'), false);
    assert.equal(multilineAt('-- cache the {█', 'lua'), false);
  });

  it('is single-line inside an unclosed block comment, multi-line once it is closed', () => {
    assert.equal(multilineAt('/**\n * Adds two numbers.\n * █\n */'), false);
    assert.equal(multilineAt('/* helpers */\nfunction f() {█\n}'), true);
  });

  it('is single-line inside a Python docstring', () => {
    assert.equal(multilineAt('def area(radius):\n    """█', 'python'), false);
    assert.equal(multilineAt('def area(radius):\n    """Area of a circle."""\n    █', 'python'), true);
  });

  it('does not take comment markers inside strings for comments', () => {
    assert.equal(multilineAt('fetch("https://example.com/api", {█\n'), true);
    assert.equal(multilineAt("print('# of rows:', {█", 'python'), true);
    assert.equal(multilineAt('[ $# -eq 0 ] && {█', 'shellscript'), true, '$# is not a shell comment');
    assert.equal(multilineAt('const quote = "\\"//"; render({█'), true, 'an escaped quote does not end the string');
  });

  it('reads a Rust lifetime as code, not as an unclosed char literal', () => {
    assert.equal(multilineAt("fn first(words: &'a str) {█\n}", 'rust'), true);
    assert.equal(multilineAt("let quote = '\"'; if ok {█", 'rust'), true, 'a char literal holding a double quote');
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
