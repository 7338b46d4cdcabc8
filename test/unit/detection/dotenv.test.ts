import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOTENV_CHARS, parseDotenv, type ParseCounter } from '../../../src/core/detection/dotenv';

describe('parseDotenv', () => {
  it('reads dotenv syntax: comments, export, quotes, escapes, multi-line values', () => {
    const parsed = parseDotenv(
      [
        '# a comment',
        '',
        'PLAIN=value # trailing comment',
        'export EXPORTED = spaced ',
        "SINGLE='keep # this \\n raw'",
        'DOUBLE="line1\\nline2"',
        'MULTI="first',
        'second"',
        'BACKTICK=`it\'s "fine"`',
        'ESCAPED="say \\"hi\\""',
        'EMPTY=',
        'COLON: works',
        'not a line',
        'PLAIN=overridden',
      ].join('\r\n'),
    );
    assert.deepEqual(parsed, {
      PLAIN: 'overridden',
      EXPORTED: 'spaced',
      SINGLE: 'keep # this \\n raw',
      DOUBLE: 'line1\nline2',
      MULTI: 'first\nsecond',
      BACKTICK: 'it\'s "fine"',
      ESCAPED: 'say \\"hi\\"',
      EMPTY: '',
      COLON: 'works',
    });
  });

  it('reads a 30,000-line file with one unclosed quote in one pass, keeping every other line', () => {
    const lines = ['OPEN="never closed'];
    for (let i = 0; i < 30_000; i++) lines.push(`KEY_${i}=value-${i}`);
    const text = lines.join('\n');
    const counter: ParseCounter = { steps: 0 };
    const started = performance.now();
    const parsed = parseDotenv(text, counter);
    const ms = performance.now() - started;
    // The unclosed quote leaves its line as written, and the lines after it are still assignments.
    assert.equal(parsed.OPEN, '"never closed');
    assert.equal(parsed.KEY_0, 'value-0');
    assert.equal(parsed.KEY_29999, 'value-29999');
    assert.equal(Object.keys(parsed).length, 30_001);
    // Each character is looked at a bounded number of times: no rescanning of a growing value.
    assert.ok(counter.steps <= 3 * text.length, `${counter.steps} steps for ${text.length} characters`);
    console.log(`    30,001-line .env with an unclosed quote: ${ms.toFixed(1)} ms, ${counter.steps} steps`);
  });

  it('stays linear when every line opens a quote of a kind that never closes', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `K${i}=${['"', "'", '`'][i % 3]}x`).join('\n');
    const counter: ParseCounter = { steps: 0 };
    const parsed = parseDotenv(text, counter);
    assert.equal(Object.keys(parsed).length > 0, true);
    assert.ok(counter.steps <= 3 * text.length, `${counter.steps} steps for ${text.length} characters`);
  });

  it('refuses a file over the size cap rather than parsing it', () => {
    const text = `A=1\n${'#'.repeat(MAX_DOTENV_CHARS)}`;
    assert.deepEqual(parseDotenv(text), {});
  });
});
