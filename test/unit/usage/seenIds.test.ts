import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenIds } from '../../../src/core/usage/seenIds';

describe('ids of ledger lines already counted', () => {
  it('takes each id once, in any order, and keeps a writer as few ranges', () => {
    const seen = new SeenIds();
    const order = [0, 1, 2, 5, 4, 9, 3, 7, 8, 6];
    for (const n of order) assert.equal(seen.add(`w:${n}`, 1), true, `w:${n} is new`);
    for (const n of order) assert.equal(seen.add(`w:${n}`, 1), false, `w:${n} was seen`);
    assert.deepEqual(seen.toJSON(), { w: { r: [0, 9], t: 1 } });
    assert.equal(seen.add('v:3', 1), true, 'another writer numbers its own lines');
  });

  it('an id of no known shape is its own, never taken for a writer and number', () => {
    const seen = new SeenIds();
    assert.equal(seen.add('abc', 1), true);
    assert.equal(seen.add('abc:0', 1), true);
    assert.equal(seen.add('abc', 1), false);
    assert.equal(seen.add('w:1e3', 1), true);
    assert.equal(seen.add('w:1000', 1), true);
  });

  it('keeps a hundred thousand lines of a writer in one range', () => {
    const seen = new SeenIds();
    for (let n = 0; n < 100_000; n++) seen.add(`w:${n}`, n);
    assert.deepEqual(seen.toJSON(), { w: { r: [0, 99_999], t: 99_999 } });
  });

  it('round-trips through JSON, drops unsound entries, and forgets writers long gone', () => {
    const seen = new SeenIds();
    seen.add('old:0', 10);
    seen.add('new:0', 1_000);
    const back = SeenIds.fromJSON(
      JSON.parse(
        JSON.stringify({
          ...seen.toJSON(),
          bad: { r: [5, 2], t: 1 },
          odd: { r: [1], t: 1 },
          neg: { r: [-1, 2], t: 1 },
        }),
      ),
    );
    assert.deepEqual(Object.keys(back.toJSON()).sort(), ['new', 'old']);
    assert.equal(back.add('old:0', 10), false);
    back.forget(500);
    assert.equal(back.add('old:0', 10), true, 'forgotten');
    assert.equal(back.add('new:0', 1_000), false);
  });
});
