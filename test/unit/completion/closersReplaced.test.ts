import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closersReplaced } from '../../../src/core/completion/closersReplaced';

/** `closersReplaced` for `answer` at the cursor mark of `doc`. */
function replaced(doc: string, answer: string, languageId = 'typescript'): number {
  return closersReplaced(answer, { text: doc.replace('█', ''), offset: doc.indexOf('█'), languageId });
}

describe('closers after the cursor a one-line answer replaces', () => {
  it('replaces a closer of a bracket open before the cursor that the answer closes too', () => {
    assert.equal(replaced('foo(█)\n', 'x)'), 1);
    assert.equal(replaced('const xs = [f(█)]\n', 'a, b)]'), 2);
    assert.equal(replaced('{\n  foo(█)\n}\n', 'x) + 1'), 1, 'a bracket of another kind on a later line');
    assert.equal(replaced('foo(█)\n', 'x) // the x'), 1, 'an answer ending in a comment');
    assert.equal(replaced('run(() => █)\n', 'x => x + 1)'), 1, 'an arrow is no closer');
  });

  it("replaces nothing when the answer's closers close its own brackets, or the suffix still needs the editor's", () => {
    assert.equal(replaced('print(█)\n', 'len(items)', 'python'), 0);
    assert.equal(replaced('foo(█)\n', 'a < b ? c() : d()'), 0);
    assert.equal(replaced('const v = wrap(parse(█)\n', 'x)'), 0);
    assert.equal(replaced('foo(█)\n', 'x\n)'), 0, 'a multi-line answer');
    assert.equal(replaced('foo(█);\n', 'x)'), 0, 'the rest of the line is not only closers');
  });

  it('in a string or comment, counts the closers the answer did not open', () => {
    assert.equal(replaced('const msg = `Hello ${█}`\n', 'user.name}`;'), 2);
    assert.equal(replaced('const msg = `Hello ${█}`\n', 'fmt(user)}`;'), 2);
    assert.equal(replaced('const msg = `Hello ${█}`\n', 'user.name}'), 1, 'the string goes on');
    assert.equal(replaced('const s = "█"\n', 'a \\"b\\"'), 0, 'an escaped quote does not end the string');
    assert.equal(replaced('print(f"{█}")\n', 'a}", b', 'python'), 2, 'the call still needs its )');
    assert.equal(replaced('// see foo(█)\n', 'bar) and more'), 1);
    assert.equal(replaced('// see foo(█)\n', 'bar()'), 0);
  });
});
