import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSONC_CHARS, parseJsonWithComments, stripJsonComments } from '../../../src/core/detection/jsonc';

describe('parseJsonWithComments', () => {
  it('reads comments outside strings and keeps // inside them', () => {
    const result = parseJsonWithComments('{\n // note\n "url": "http://x/y", /* block\n */ "n": 1 }');
    assert.deepEqual(result, { ok: true, value: { url: 'http://x/y', n: 1 } });
  });

  it('says where an error is, never what the text there was', () => {
    const result = parseJsonWithComments('{\n  "key": sk-secret-value\n}');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && !result.where.includes('sk-secret'));
    assert.match(parseJsonWithComments('{\n  "a": 1,\n}').ok ? '' : 'failed', /failed/);
  });

  it('strips a file of unclosed comments and strings in one pass', () => {
    const text = `${'/* '.repeat(50_000)}${'"'.repeat(1)}${'// x\n'.repeat(50_000)}`;
    const stripped = stripJsonComments(text);
    assert.equal(stripped.length, text.length);
    assert.equal(parseJsonWithComments(text).ok, false);
  });

  it('refuses a file over the size cap', () => {
    const result = parseJsonWithComments(`{"a": "${'x'.repeat(MAX_JSONC_CHARS)}"}`);
    assert.equal(result.ok, false);
  });
});
