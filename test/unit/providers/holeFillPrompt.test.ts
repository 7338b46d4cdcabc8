import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fimOverChat } from '../../../src/core/providers/clientSupport';
import { holeFillChatRequest } from '../../../src/core/providers/holeFillPrompt';
import type { ChatEvent } from '../../../src/core/providers/types';
import { chatAnswer } from '../../emulator/answers';

const content = (prefix: string, suffix: string, promptOrder?: 'legacy') =>
  holeFillChatRequest({ prefix, suffix, promptOrder }).messages[0]?.content ?? '';

describe('hole-fill prompt for chat models', () => {
  it('puts the code after the hole first, so one more key changes only the end of the message', () => {
    const suffix = '\n  return total;\n}\n';
    const before = content('function sum(items) {\n  let total = 0;\n  for (const item of it', suffix);
    const after = content('function sum(items) {\n  let total = 0;\n  for (const item of ite', suffix);
    const shared = before.slice(0, -'<HOLE>'.length);
    assert.ok(after.startsWith(shared), 'the earlier message, hole aside, opens the next one');
    assert.ok(after.endsWith('item of ite<HOLE>'));
    assert.ok(after.indexOf('return total;') < after.indexOf('let total = 0;'), 'suffix before prefix');
    assert.equal(after.split('<HOLE>').length, 2, 'one hole marker, none in the labels');
  });

  it('sends prefix<HOLE> alone when nothing follows, and the earlier layout when asked', () => {
    assert.equal(content('const x =', ''), 'const x =<HOLE>');
    assert.equal(content('const x =', ';\n', 'legacy'), 'const x =<HOLE>;\n');
  });

  it('the emulator reads the code before and after the hole from either layout', () => {
    const seen: [string, string][] = [];
    const responder = (prefix: string, suffix: string) => {
      seen.push([prefix, suffix]);
      return 'x';
    };
    chatAnswer(content('const a =', ';\nnext();\n'), [], responder);
    chatAnswer(content('const a =', ';\nnext();\n', 'legacy'), [], responder);
    assert.deepEqual(seen, [
      ['const a =', ';\nnext();\n'],
      ['const a =', ';\nnext();\n'],
    ]);
  });

  it('sends no stop at the first line break: a chat model may open with a fence or a sentence before the code', () => {
    assert.equal(holeFillChatRequest({ prefix: '// Sums ', suffix: '', stop: ['\n'] }).stop, undefined);
    assert.deepEqual(holeFillChatRequest({ prefix: 'f(', suffix: '', stop: ['\n\n\n', '\n'] }).stop, ['\n\n\n']);
  });

  it("reports the limits a hole-fill went out with: the client's own account, else what it was asked", async () => {
    const answer = async function* (): AsyncIterable<ChatEvent> {
      yield { type: 'text', text: 'x' };
      yield {
        type: 'done',
        usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
      };
    };
    const request = { prefix: '// Sums ', suffix: '', maxTokens: 64, temperature: 0, stop: ['\n', '\n\n\n'] };
    const asked = await fimOverChat(() => answer(), request, 'm');
    assert.deepEqual(asked.sent, { maxTokens: 64, temperature: 0, stop: ['\n\n\n'] });
    // A client that sends no limits at all (the editor's own models) says so.
    const none = await fimOverChat(
      (chatRequest) => {
        chatRequest.onSent?.({});
        return answer();
      },
      request,
      'm',
    );
    assert.deepEqual(none.sent, {});
  });
});
