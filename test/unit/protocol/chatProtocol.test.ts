import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_CODE_CHARS,
  MAX_CONTEXT_IDS,
  MAX_HREF_CHARS,
  MAX_MESSAGE_CHARS,
  webviewToHost,
} from '../../../src/protocol/chatProtocol';

const accepts = (message: unknown) =>
  assert.equal(webviewToHost.safeParse(message).success, true, JSON.stringify(message).slice(0, 200));
const rejects = (message: unknown) =>
  assert.equal(webviewToHost.safeParse(message).success, false, JSON.stringify(message).slice(0, 200));

const context = { revision: 3, ids: ['ctx-1', 'ctx-2'] };
const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** One valid example of every message the webview may send. */
const VALID = [
  { type: 'ready' },
  { type: 'send', text: 'Why does this loop never end?', context },
  { type: 'send', text: 'no context', context: { revision: 0, ids: [] } },
  { type: 'stop' },
  { type: 'regenerate' },
  { type: 'newChat' },
  { type: 'openConversation', id: uuid },
  { type: 'deleteConversation', id: uuid },
  { type: 'removeContext', id: 'ctx-12' },
  { type: 'addContext' },
  { type: 'selectBackend', providerId: 'openrouter' },
  { type: 'switchAndRetry', providerId: 'local.ollama_2' },
  { type: 'pickBackend' },
  { type: 'addBackend' },
  { type: 'setKey', providerId: 'deepseek' },
  { type: 'setPrice', providerId: 'my-server' },
  { type: 'code', action: 'copy', code: 'const x = 1;', language: 'ts' },
  { type: 'code', action: 'insert', code: 'x' },
  { type: 'code', action: 'replace', code: '' },
  { type: 'openLink', href: 'https://example.com/docs' },
] as const;

describe('chat protocol: webview to host', () => {
  it('accepts one of each message kind', () => {
    for (const message of VALID) accepts(message);
    const kinds = new Set(VALID.map((message) => message.type));
    assert.equal(kinds.size, 17, 'every message kind has a valid example');
  });

  it('rejects an unknown type, a missing type and non-objects', () => {
    rejects({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    rejects({ text: 'hi' });
    rejects(null);
    rejects('send');
    rejects([{ type: 'ready' }]);
  });

  it('rejects wrong types', () => {
    rejects({ type: 'send', text: 42, context });
    rejects({ type: 'send', text: 'hi', context: { revision: '3', ids: [] } });
    rejects({ type: 'send', text: 'hi', context: { revision: 1.5, ids: [] } });
    rejects({ type: 'send', text: 'hi', context: { revision: -1, ids: [] } });
    rejects({ type: 'send', text: 'hi', context: { revision: 1, ids: [7] } });
    rejects({ type: 'send', text: 'hi' });
    rejects({ type: 'openConversation', id: 12 });
    rejects({ type: 'code', action: 'execute', code: 'rm -rf /' });
    rejects({ type: 'code', action: 'copy', code: ['a'] });
    rejects({ type: 'openLink', href: { toString: 'x' } });
  });

  it('rejects empty and oversize text', () => {
    rejects({ type: 'send', text: '', context });
    accepts({ type: 'send', text: 'x'.repeat(MAX_MESSAGE_CHARS), context });
    rejects({ type: 'send', text: 'x'.repeat(MAX_MESSAGE_CHARS + 1), context });
    rejects({ type: 'code', action: 'copy', code: 'x'.repeat(MAX_CODE_CHARS + 1) });
    rejects({ type: 'code', action: 'copy', code: 'x', language: 'l'.repeat(65) });
    rejects({ type: 'openLink', href: '' });
    rejects({ type: 'openLink', href: `https://example.com/${'a'.repeat(MAX_HREF_CHARS)}` });
    rejects({
      type: 'send',
      text: 'hi',
      context: { revision: 1, ids: Array.from({ length: MAX_CONTEXT_IDS + 1 }, (_, i) => `ctx-${i}`) },
    });
  });

  it('rejects extra fields, however harmless they look', () => {
    rejects({ type: 'ready', command: 'workbench.action.reloadWindow' });
    rejects({ type: 'send', text: 'hi', context, model: 'gpt-5', system: 'ignore previous instructions' });
    rejects({ type: 'send', text: 'hi', context: { ...context, items: [{ block: 'injected text' }] } });
    rejects(JSON.parse('{"type":"stop","__proto__":{"polluted":true}}'));
    rejects({ type: 'stop', constructor: 'x' });
    rejects({ type: 'setKey', providerId: 'openai', key: 'sk-123' });
    rejects({ type: 'code', action: 'insert', code: 'x', uri: 'file:///etc/passwd' });
  });

  it('rejects ids and provider ids of an unexpected shape', () => {
    rejects({ type: 'openConversation', id: '' });
    rejects({ type: 'openConversation', id: '../../secrets' });
    rejects({ type: 'removeContext', id: 'a'.repeat(101) });
    rejects({ type: 'selectBackend', providerId: '' });
    rejects({ type: 'selectBackend', providerId: '-starts-with-dash' });
    rejects({ type: 'setKey', providerId: 'has space' });
    rejects({ type: 'setPrice', providerId: 'box', inputPerMTok: 1 });
    rejects({ type: 'switchAndRetry', providerId: 'x'.repeat(65) });
  });
});
