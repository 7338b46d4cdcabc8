import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeAt, shapeCompletion, type FimBackend } from '../../src/core/completion/engine';
import type { FimRequest } from '../../src/core/providers/types';

function backendAnswering(text: string): FimBackend & { requests: FimRequest[] } {
  const requests: FimRequest[] = [];
  return {
    requests,
    async fim(request) {
      requests.push(request);
      return { text, model: 'm', route: 'completions-suffix', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true } };
    },
  };
}

describe('completeAt', () => {
  it('sends the text around the cursor and allows several lines at the end of a line', async () => {
    const backend = backendAnswering('\n  return a + b;\n}');
    const text = 'function add(a, b) {\n\nconsole.log(add(1, 2));\n';
    const offset = 'function add(a, b) {'.length;
    const result = await completeAt(backend, { text, offset, languageId: 'javascript' }, new AbortController().signal);
    assert.equal(backend.requests[0]?.prefix, 'function add(a, b) {');
    assert.equal(backend.requests[0]?.suffix, text.slice(offset));
    assert.equal(result?.multiline, true);
    assert.equal(result?.insertText, '\n  return a + b;\n}');
  });

  it('keeps to one line in the middle of a line and asks the backend to stop at the newline', async () => {
    const backend = backendAnswering('value, other);\nnext line');
    const text = 'call(x, ) + 1';
    const result = await completeAt(backend, { text, offset: 'call(x, '.length, languageId: 'javascript' }, new AbortController().signal);
    assert.deepEqual(backend.requests[0]?.stop, ['\n']);
    assert.equal(result?.multiline, false);
    assert.equal(result?.insertText, 'value, other);');
  });

  it('returns nothing for an empty answer', async () => {
    const result = await completeAt(backendAnswering('   \n'), { text: 'x = ', offset: 4, languageId: 'python' }, new AbortController().signal);
    assert.equal(result, undefined);
  });
});

describe('shapeCompletion', () => {
  it('drops an echo of the text already after the cursor', () => {
    assert.equal(shapeCompletion('a, b)', ')', false), 'a, b');
  });
});
