import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThinkTagFilter } from '../../../src/core/providers/thinkTags';

/** Streams `chunks` through a filter: the answer it lets through, and how often it said "thinking". */
function run(chunks: readonly string[]): { text: string; thinking: number } {
  const filter = new ThinkTagFilter();
  let text = '';
  let thinking = 0;
  for (const chunk of chunks) {
    const out = filter.push(chunk);
    text += out.text;
    if (out.thinking) thinking++;
  }
  return { text: text + filter.end().text, thinking };
}

/** Every way of cutting `whole` in two, and one character at a time. */
function cuts(whole: string): string[][] {
  const ways = [[whole], [...whole]];
  for (let at = 1; at < whole.length; at++) ways.push([whole.slice(0, at), whole.slice(at)]);
  return ways;
}

describe('reasoning written into the answer as <think>…</think>', () => {
  it('drops the reasoning and the blank lines after it, however the stream is cut', () => {
    const whole = '<think>\nThe user wants a sum. </think  is not the end.\n</think>\n\n```js\n  return a + b;\n```';
    for (const chunks of cuts(whole))
      assert.deepEqual(run(chunks), { text: '```js\n  return a + b;\n```', thinking: 1 }, JSON.stringify(chunks));
  });

  it('hands on the reasoning it drops, so a stopped answer can still be counted', () => {
    const whole = '<think>\nThe user wants a sum. </think  is not the end.\n</think>\n\nreturn a + b;';
    for (const chunks of cuts(whole)) {
      const filter = new ThinkTagFilter();
      const reasoning = chunks.map((chunk) => filter.push(chunk).reasoning).join('');
      assert.equal(reasoning, '\nThe user wants a sum. </think  is not the end.\n', JSON.stringify(chunks));
    }
  });

  it("keeps the answer's own first indentation after the reasoning", () => {
    for (const chunks of cuts('<think>x</think>\n    return a + b;'))
      assert.equal(run(chunks).text, '    return a + b;', JSON.stringify(chunks));
  });

  it('lets an answer that does not open with reasoning through untouched', () => {
    for (const whole of ['\n  return a + b;', '<thing>', '  <b>bold</b> and <think> later', '<', ' <thi'])
      for (const chunks of cuts(whole))
        assert.deepEqual(run(chunks), { text: whole, thinking: 0 }, JSON.stringify(chunks));
  });

  it('an answer cut off inside its reasoning has no text: the reasoning is never shown', () => {
    assert.deepEqual(run(['<think>', 'I should first check']), { text: '', thinking: 1 });
    const filter = new ThinkTagFilter();
    filter.push('<think> is a tag');
    assert.deepEqual(filter.end(), { text: '', unclosed: true }, 'the caller learns it never closed');
  });
});
