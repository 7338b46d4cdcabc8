import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failedTest, failedTestsToStore, storedFailedTests } from '../../../src/core/settings/failedTests';

const CUSTOM = 'http://127.0.0.1:8000/v1';
const QWEN = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1';
const providers = [
  { id: 'custom', baseUrl: CUSTOM },
  { id: 'qwen', baseUrl: QWEN },
];

describe('a failed connection test is still said after a reload', () => {
  it('keeps what the test said, when, and where, for a backend that still points there', () => {
    const stored = failedTestsToStore(
      new Map([['custom', failedTest('The server answered 503 Service Unavailable.', 1_000, CUSTOM)]]),
    );
    // Storage keeps JSON: what comes back is what went in.
    const back = storedFailedTests(JSON.parse(JSON.stringify(stored)), providers);
    assert.deepEqual(
      [...back],
      [['custom', { detail: 'The server answered 503 Service Unavailable.', at: 1_000, baseUrl: CUSTOM }]],
    );
  });

  it('forgets a backend removed, or pointed at another server since its test', () => {
    const stored = {
      custom: { detail: 'refused', at: 1, baseUrl: 'http://127.0.0.1:9999/v1' },
      gone: { detail: 'refused', at: 1, baseUrl: 'http://127.0.0.1:8000/v1' },
      qwen: { detail: 'The key was refused (401).', at: 2, baseUrl: QWEN },
    };
    assert.deepEqual([...storedFailedTests(stored, providers).keys()], ['qwen']);
  });

  it('reads storage as untrusted: wrong shapes are skipped, long words cut', () => {
    for (const value of [undefined, null, 'x', 42, [], [{ detail: 'a' }]])
      assert.equal(storedFailedTests(value, providers).size, 0, JSON.stringify(value));
    const odd = {
      custom: { detail: 5, at: 1, baseUrl: CUSTOM },
      qwen: { detail: 'x', at: Number.NaN, baseUrl: QWEN },
    };
    assert.equal(storedFailedTests(odd, providers).size, 0);
    const long = storedFailedTests(
      { custom: { detail: `<html>${'a'.repeat(10_000)}`, at: 1, baseUrl: CUSTOM } },
      providers,
    );
    const detail = long.get('custom')?.detail ?? '';
    assert.ok(detail.length <= 500 && detail.endsWith('…'), `kept ${detail.length} characters`);
  });
});
