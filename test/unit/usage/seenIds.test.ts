import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RANGES, MAX_RANGES_PER_WRITER, SeenIds } from '../../../src/core/usage/seenIds';

describe('ids of ledger lines already counted', () => {
  it('takes each id once, in any order, and keeps a writer as few ranges', () => {
    const seen = new SeenIds();
    const order = [0, 1, 2, 5, 4, 9, 3, 7, 8, 6];
    for (const n of order) assert.equal(seen.add(`w:${n}`, 1), 'new', `w:${n} is new`);
    for (const n of order) assert.equal(seen.add(`w:${n}`, 1), 'seen', `w:${n} was seen`);
    assert.deepEqual(seen.toJSON(), { w: { r: [0, 9], t: 1 } });
    assert.equal(seen.add('v:3', 1), 'new', 'another writer numbers its own lines');
  });

  it('an id of no known shape is its own, never taken for a writer and number', () => {
    const seen = new SeenIds();
    assert.equal(seen.add('abc', 1), 'new');
    assert.equal(seen.add('abc:0', 1), 'new');
    assert.equal(seen.add('abc', 1), 'seen');
    assert.equal(seen.add('w:1e3', 1), 'new');
    assert.equal(seen.add('w:1000', 1), 'new');
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
    assert.equal(back.add('old:0', 10), 'seen');
    back.forget(500);
    assert.equal(back.add('old:0', 10), 'new', 'forgotten');
    assert.equal(back.add('new:0', 1_000), 'seen');
  });

  it('holds a writer whose ids skip in at most its cap of ranges, refusing ids past it and still knowing those seen', () => {
    const seen = new SeenIds();
    const offered = Array.from({ length: MAX_RANGES_PER_WRITER + 100 }, (_, n) => seen.add(`w:${2 * n}`, 1));
    assert.equal(offered.filter((s) => s === 'new').length, MAX_RANGES_PER_WRITER);
    assert.deepEqual([...new Set(offered.slice(MAX_RANGES_PER_WRITER))], ['refused']);
    assert.equal(seen.add('w:0', 1), 'seen', 'an id seen is still known');
    assert.equal(
      seen.add(`w:${2 * MAX_RANGES_PER_WRITER}`, 1),
      'refused',
      'one refused stays refused while there is no room',
    );
    assert.equal(seen.add('w:1', 1), 'new', 'an id that joins two ranges needs no room');
    assert.equal(seen.add(`w:${2 * MAX_RANGES_PER_WRITER}`, 1), 'new', 'and makes room for one more');
    assert.ok((seen.toJSON().w?.r.length ?? 0) / 2 <= MAX_RANGES_PER_WRITER);
  });

  it('holds at most its cap of ranges of all writers together, and makes room as writers are forgotten', () => {
    const seen = new SeenIds();
    for (let n = 0; n < MAX_RANGES; n++) assert.equal(seen.add(`x${n}`, 1), 'new');
    assert.equal(seen.add('late:0', 2), 'refused');
    assert.equal(seen.add('x0', 1), 'seen');
    seen.forget(2);
    assert.equal(seen.add('late:0', 2), 'new');
  });
});
