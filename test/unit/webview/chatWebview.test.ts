import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CHAT_BODY } from '../../../src/chat/chatViewBody';
import type { TurnView } from '../../../src/core/chat/turnViews';
import type { WebviewToHost } from '../../../src/protocol/chatProtocol';

import { Composer } from '../../../src/webview/chat/composer';
import { ContextChips } from '../../../src/webview/chat/contextChips';
import { ConversationView } from '../../../src/webview/chat/conversationView';

// The webview's parts against a DOM without a browser. They touch `document` only when called;
// linkedom is ESM-only, hence the dynamic import.
let doc: Document;

before(async () => {
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${CHAT_BODY}</body></html>`);
  doc = document as unknown as Document;
  Object.assign(globalThis, { document });
});

const byId = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
const hooks = { onLink: () => {}, onCode: () => {} };

function conversationView() {
  const posted: WebviewToHost[] = [];
  const said: string[] = [];
  const log = byId('log');
  const view = new ConversationView(
    log,
    hooks,
    (message) => posted.push(message),
    (text) => said.push(text),
  );
  return { view, log, posted, said };
}

const answer = (over: Partial<Extract<TurnView, { role: 'assistant' }>>): TurnView => ({
  role: 'assistant',
  id: 'a1',
  text: '',
  status: 'streaming',
  ...over,
});

describe('chat webview', () => {
  it('has every element the tests and the script rely on', () => {
    for (const id of [
      'log',
      'input',
      'send',
      'stop',
      'new',
      'regenerate',
      'history',
      'history-panel',
      'backend-picker',
      'session-total',
      'chips',
      'add-context',
      'status',
    ]) {
      assert.ok(byId(id), `#${id}`);
    }
    assert.equal(byId('log').getAttribute('role'), 'log');
    assert.equal(byId('status').getAttribute('aria-live'), 'polite');
    assert.equal(byId('backend-picker').tagName, 'SELECT');
    for (const button of doc.querySelectorAll('button')) {
      assert.ok(button.textContent?.trim() || button.getAttribute('aria-label'), `${button.id} has a name`);
    }
  });

  it('takes no message until its script listens: the input and Send are off in the page as served', async () => {
    // A slow machine draws the page before its script runs; Enter in the input then would add a
    // line, and Send would submit the form, instead of sending.
    const { parseHTML } = await import('linkedom');
    const { document: served } = parseHTML(`<!DOCTYPE html><html><body>${CHAT_BODY}</body></html>`);
    const element = <T extends HTMLElement>(id: string) => served.getElementById(id) as unknown as T;
    const input = element<HTMLTextAreaElement>('input');
    const send = element<HTMLButtonElement>('send');
    assert.equal(input.disabled, true, 'the input waits for the script');
    assert.equal(send.disabled, true, 'Send waits for the script');
    new Composer(
      { form: element('composer'), input, send, stop: element('stop'), regenerate: element('regenerate') },
      () => {},
      () => ({ revision: 0, ids: [] }),
      () => {},
      () => {},
    );
    assert.equal(input.disabled, false, 'the input takes keys once Enter sends');
    assert.equal(send.disabled, false);
  });

  it('streams an answer into .turn.assistant .body and finishes it with a .usage line', () => {
    const { view, log, said } = conversationView();
    view.show(
      [
        {
          role: 'user',
          id: 'u1',
          text: 'Hi <b>there</b>',
          context: [{ kind: 'file', label: 'a.ts', tokens: 1200, truncated: true }],
        },
      ],
      undefined,
    );
    assert.equal(
      log.querySelector('.turn.user .body')?.textContent,
      'Hi <b>there</b>',
      'a question is text, not markup',
    );
    assert.match(log.querySelector('.turn-context')?.textContent ?? '', /a\.ts · 1\.2k tokens · truncated/);
    view.upsert(answer({ source: 'DeepSeek · deepseek-chat' }));
    view.delta('a1', 'Use **bold**');
    view.delta('a1', ' text.');
    assert.equal(log.getAttribute('aria-busy'), 'true');
    view.upsert(answer({ text: 'Use **bold** text.', status: 'complete', usage: '10 in · 4 out tokens · $0.0001' }));
    const turn = log.querySelector('.turn.assistant');
    assert.equal(turn?.getAttribute('data-status'), 'complete');
    assert.equal(turn?.querySelector('.body strong')?.textContent, 'bold');
    assert.equal(turn?.querySelector('.usage')?.textContent, '10 in · 4 out tokens · $0.0001');
    assert.equal(log.getAttribute('aria-busy'), 'false');
    assert.deepEqual(said, ['Answering…', 'Answer complete: 10 in · 4 out tokens · $0.0001.']);
  });

  it('a new chat, or another conversation opened, clears the status line of the last answer', () => {
    const { view, said } = conversationView();
    view.show([{ role: 'user', id: 'u1', text: 'First question', context: [] }], undefined);
    view.upsert(answer({ text: 'An answer.', status: 'complete', usage: '4 in · 20 out tokens · ¥0.00017' }));
    assert.equal(said.at(-1), 'Answer complete: 4 in · 20 out tokens · ¥0.00017.');
    // "New chat" draws an empty conversation: "Answer complete" and its cost were about one no longer shown.
    view.show([], undefined);
    assert.equal(said.at(-1), '');
  });

  it('says "Thinking…" while the model reasons, until its first words', () => {
    const { view, log, said } = conversationView();
    view.show([], undefined);
    view.upsert(answer({ source: 'Coding Plan · qwen3.7-plus' }));
    view.thinking('a1');
    view.thinking('a1');
    assert.equal(log.querySelectorAll('.turn-thinking').length, 1, 'said once');
    assert.equal(log.querySelector('.turn.assistant .turn-thinking')?.textContent, 'Thinking…');
    view.delta('a1', 'Four.');
    assert.equal(log.querySelector('.turn-thinking'), null, 'the first words end it');
    assert.match(log.querySelector('.turn.assistant .body')?.textContent ?? '', /Four\./);
    view.thinking('a1');
    assert.equal(log.querySelector('.turn-thinking'), null, 'not once the answer has begun');
    assert.deepEqual(said, ['Answering…', 'Thinking…']);
  });

  it('a stopped answer that never got past thinking says stopped, not thinking', () => {
    const { view, log } = conversationView();
    view.show([], undefined);
    view.upsert(answer({}));
    view.thinking('a1');
    view.upsert(answer({ status: 'stopped' }));
    assert.equal(log.querySelector('.turn-thinking'), null);
    assert.equal(log.querySelector('.turn.assistant')?.getAttribute('data-status'), 'stopped');
  });

  it('shows a stopped answer as stopped', () => {
    const { view, log } = conversationView();
    view.show([], undefined);
    view.upsert(answer({}));
    view.delta('a1', 'partial');
    view.upsert(answer({ text: 'partial', status: 'stopped', usage: '≈ 1 in · 1 out tokens (estimated) · $0.00' }));
    const turn = log.querySelector('.turn.assistant');
    assert.equal(turn?.getAttribute('data-status'), 'stopped');
    assert.match(turn?.querySelector('.status-note')?.textContent ?? '', /not sent back to the model/);
  });

  it('an answer cut off by a failure says it is partial and not sent back; a failure with no text only has its error', () => {
    const { view, log } = conversationView();
    view.show([], undefined);
    view.upsert(answer({}));
    view.delta('a1', 'Step 1: open the');
    const error = { headline: 'Could not reach DeepSeek.', detail: 'No connection.', actions: [] };
    view.upsert(answer({ text: 'Step 1: open the', status: 'failed', error }));
    const turn = log.querySelector('.turn.assistant');
    assert.equal(turn?.querySelector('.body')?.textContent?.trim(), 'Step 1: open the', 'the text is kept');
    assert.match(
      turn?.querySelector('.status-note')?.textContent ?? '',
      /partial answer .* not sent back to the model/,
    );
    view.upsert(answer({ id: 'a2', text: '', status: 'failed', error }));
    assert.equal(log.querySelector('[data-turn-id="a2"] .status-note'), null);
  });

  it('draws an error with action buttons that post the right messages, on the last answer only', () => {
    const { view, log, posted } = conversationView();
    view.show([], undefined);
    view.upsert(
      answer({
        status: 'failed',
        error: {
          headline: 'DeepSeek refused the API key.',
          detail: 'Set a new key.',
          actions: [
            { kind: 'set-key', providerId: 'deepseek', label: 'Set API key for DeepSeek' },
            { kind: 'switch', providerId: 'ollama', label: 'Switch to Ollama and retry' },
            { kind: 'pick', label: 'Choose another backend…' },
            { kind: 'retry', label: 'Retry' },
          ],
        },
      }),
    );
    const error = log.querySelector('.error');
    assert.equal(error?.getAttribute('role'), 'alert');
    assert.equal(error?.querySelector('.error-headline')?.textContent, 'DeepSeek refused the API key.');
    for (const selector of [
      '.action-set-key',
      '.action-switch[data-provider="ollama"]',
      '.action-pick',
      '.action-retry',
    ]) {
      (error?.querySelector(selector) as HTMLButtonElement).click();
    }
    assert.deepEqual(posted, [
      { type: 'setKey', providerId: 'deepseek' },
      { type: 'switchAndRetry', providerId: 'ollama' },
      { type: 'pickBackend' },
      { type: 'regenerate' },
    ]);
    view.upsert({ role: 'user', id: 'u2', text: 'next', context: [] });
    assert.equal(
      log.querySelectorAll('.error-actions').length,
      0,
      'a new question takes the buttons off the old error',
    );
  });

  it('draws "Add a backend and retry…" as a button that asks the host to add one', () => {
    const { view, log, posted } = conversationView();
    view.show([], undefined);
    view.upsert(
      answer({
        status: 'failed',
        error: {
          headline: 'DeepSeek refused the API key.',
          detail: 'Set a new key.',
          actions: [{ kind: 'add', label: 'Add a backend and retry…' }],
        },
      }),
    );
    const add = log.querySelector<HTMLButtonElement>('.error .action-add');
    assert.equal(add?.textContent, 'Add a backend and retry…');
    add?.click();
    assert.deepEqual(posted, [{ type: 'addBackend' }]);
  });

  it('sends the revision and ids of the chips shown, and removing a chip asks the host', () => {
    const posted: WebviewToHost[] = [];
    const chips = new ContextChips(byId('chips'), byId('context-total'), byId<HTMLButtonElement>('add-context'), (m) =>
      posted.push(m),
    );
    chips.show(
      7,
      [
        { id: 'ctx-1', kind: 'selection', label: 'a.ts:1-2', description: 'Selection', tokens: 12, truncated: false },
        { id: 'ctx-2', kind: 'file', label: 'a.ts', description: 'File', tokens: 3400, truncated: true },
      ],
      '≈ 3,520 tokens: 3,412 attached, 108 earlier in this chat',
    );
    assert.deepEqual(chips.current(), { revision: 7, ids: ['ctx-1', 'ctx-2'] });
    assert.equal(doc.querySelectorAll('#chips .chip').length, 2);
    assert.equal(byId('context-total').textContent, '≈ 3,520 tokens: 3,412 attached, 108 earlier in this chat');
    (doc.querySelectorAll('#chips .chip-remove')[1] as HTMLButtonElement).click();
    byId<HTMLButtonElement>('add-context').click();
    assert.deepEqual(posted, [{ type: 'removeContext', id: 'ctx-2' }, { type: 'addContext' }]);
  });

  it('leaves an unchanged chip alone when the chips are sent again, so a click or focus on it survives', () => {
    const posted: WebviewToHost[] = [];
    const chips = new ContextChips(byId('chips'), byId('context-total'), byId<HTMLButtonElement>('add-context'), (m) =>
      posted.push(m),
    );
    const selection = {
      id: 'ctx-1',
      kind: 'selection' as const,
      label: 'a.ts:1-2',
      description: 'Selection',
      tokens: 12,
      truncated: false,
    };
    const file = {
      id: 'ctx-2',
      kind: 'file' as const,
      label: 'a.ts',
      description: 'File',
      tokens: 300,
      truncated: false,
    };
    chips.show(1, [selection, file], '≈ 312 tokens of context');
    const [selectionChip, fileChip] = [...doc.querySelectorAll('#chips .chip')];
    chips.show(2, [selection, { ...file, tokens: 310 }], '≈ 322 tokens of context');
    const after = [...doc.querySelectorAll('#chips .chip')];
    assert.equal(after[0], selectionChip, 'the unchanged selection chip is the same element');
    assert.notEqual(after[1], fileChip, 'the file chip whose estimate changed is drawn again');
    assert.match(after[1]?.textContent ?? '', /310/);
    chips.show(3, [{ ...file, tokens: 310 }, selection], '≈ 322 tokens of context');
    const reordered = [...doc.querySelectorAll('#chips .chip')];
    assert.deepEqual(
      reordered.map((chip) => chip.textContent),
      [after[1]?.textContent, after[0]?.textContent],
      'the order follows the host',
    );
    assert.equal(reordered[0], after[1]);
    chips.show(4, [selection], '≈ 12 tokens of context');
    assert.deepEqual(
      [...doc.querySelectorAll('#chips .chip')].map((chip) => chip === selectionChip),
      [true],
      'a chip the host no longer sends is gone',
    );
    (doc.querySelector('#chips .chip-remove') as HTMLButtonElement).click();
    assert.deepEqual(posted, [{ type: 'removeContext', id: 'ctx-1' }]);
  });

  it('Enter sends with the context, Shift+Enter does not, and nothing is sent while an answer streams', () => {
    const posted: WebviewToHost[] = [];
    const said: string[] = [];
    const input = byId<HTMLTextAreaElement>('input');
    const composer = new Composer(
      { form: byId('composer'), input, send: byId('send'), stop: byId('stop'), regenerate: byId('regenerate') },
      (m) => posted.push(m),
      () => ({ revision: 2, ids: ['ctx-9'] }),
      (text) => said.push(text),
      () => {},
    );
    const key = (init: { key: string; shiftKey?: boolean }) => {
      const event = doc.createEvent('Event');
      event.initEvent('keydown', true, true);
      Object.assign(event, { isComposing: false, shiftKey: false, ...init });
      input.dispatchEvent(event);
    };
    input.value = 'line one';
    key({ key: 'Enter', shiftKey: true });
    assert.deepEqual(posted, []);
    key({ key: 'Enter' });
    assert.deepEqual(posted, [{ type: 'send', text: 'line one', context: { revision: 2, ids: ['ctx-9'] } }]);
    assert.equal(input.value, '');
    composer.setControls(true, false);
    assert.equal(byId<HTMLButtonElement>('stop').disabled, false);
    input.value = 'too soon';
    key({ key: 'Enter' });
    assert.equal(posted.length, 1);
    assert.equal(input.value, 'too soon', 'the text stays in the input');
    assert.equal(composer.stop(), true);
    assert.deepEqual(posted[1], { type: 'stop' });
    composer.setControls(false, true);
    assert.equal(composer.stop(), false, 'Escape does nothing when nothing streams');
    assert.equal(byId<HTMLButtonElement>('regenerate').disabled, false);
  });
});
