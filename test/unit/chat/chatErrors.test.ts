import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import { explainFailure, failureFacts, type FailureFacts } from '../../../src/core/chat/explainFailure';
import { turnView } from '../../../src/core/chat/turnViews';
import { ProviderError } from '../../../src/core/providers/providerError';
import { classifyHttpError } from '../../../src/core/providers/classifyError';
import { readConversation, writeConversation } from '../../../src/core/chat/storedConversation';

const NOW = Date.UTC(2026, 10, 22, 14, 0, 0);
const qwen = { id: 'qwen', name: 'Qwen (Model Studio)', model: 'qwen3-coder-plus' };
const facts = (error: ProviderError) => failureFacts(error, qwen);
const error = (init: Omit<ConstructorParameters<typeof ProviderError>[0], 'providerId'>) =>
  new ProviderError({ providerId: 'qwen', ...init });
const failedTurn = (failure: FailureFacts): AssistantTurn => ({
  role: 'assistant',
  id: 't1',
  text: '',
  status: 'failed',
  at: NOW,
  backendId: 'qwen',
  backendName: qwen.name,
  model: qwen.model,
  error: failure,
});

describe('chat error explanations', () => {
  it('rate limited: whose limit, and when it lifts', () => {
    const explained = explainFailure(
      facts(error({ kind: 'rate-limited', message: 'Rate limited (qwen 429).', resetAt: NOW + 45_000, status: 429 })),
      NOW,
    );
    assert.equal(explained.headline, 'Qwen (Model Studio) is limiting how fast requests can be sent.');
    assert.match(explained.detail, /Qwen \(Model Studio\)'s limit on your account/);
    assert.equal(explained.resets, 'It lifts at 14:00 UTC (in 45 seconds).');
    assert.deepEqual(explained.actions, ['retry', 'switch']);
    const unknownReset = explainFailure(facts(error({ kind: 'rate-limited', message: 'x' })), NOW);
    assert.equal(unknownReset.resets, 'It usually lifts within a minute.');
  });

  it('quota exhausted: switching first, with the reset when known and the source when named', () => {
    const tomorrow = Date.UTC(2026, 10, 23, 0, 0, 0);
    const explained = explainFailure(
      facts(
        error({
          kind: 'quota-exhausted',
          message: 'Quota exhausted (qwen 429): Free allocated quota exceeded.',
          resetAt: tomorrow,
        }),
      ),
      NOW,
    );
    assert.equal(explained.headline, 'Your Qwen (Model Studio) quota is used up.');
    assert.equal(explained.resets, 'It lifts at 00:00 UTC (in 10 hours).');
    assert.equal(explained.actions[0], 'switch');
    const openrouter = explainFailure(
      { kind: 'quota-exhausted', message: 'x', backendName: 'OpenRouter', limitSource: 'openrouter_key_limit' },
      NOW,
    );
    assert.match(openrouter.detail, /the spending limit set on this OpenRouter key/);
    assert.equal(openrouter.resets, 'OpenRouter did not say when it resets.');
    const balance = explainFailure({ kind: 'insufficient-balance', message: 'x', backendName: 'DeepSeek' }, NOW);
    assert.match(balance.headline, /DeepSeek account has run out of credit/);
    assert.deepEqual(balance.actions, ['switch', 'retry']);
  });

  it('403 AllocationQuota.FreeTierOnly: the free quota is spent and "Free Quota Only" stops the calls', () => {
    const body = {
      error: {
        message:
          'The free quota has been exhausted. To continue accessing the model on a paid basis, please complete your payment information.',
        type: 'AllocationQuota.FreeTierOnly',
        param: null,
        code: 'AllocationQuota.FreeTierOnly',
      },
    };
    const thrown = classifyHttpError({ providerId: 'qwen', status: 403, body, headers: {}, now: NOW });
    assert.match(thrown.message, /^Free quota used up \(qwen 403\): "Free Quota Only" is on/);
    const explained = explainFailure(facts(thrown), NOW);
    assert.equal(
      explained.headline,
      'Your Model Studio free quota for qwen3-coder-plus is used up, and "Free Quota Only" is on.',
    );
    assert.match(explained.detail, /stops these calls instead of billing them \(403 AllocationQuota\.FreeTierOnly\)/);
    assert.match(explained.detail, /turn off "Free Quota Only" in the Model Studio console/);
    assert.deepEqual(explained.actions, ['switch'], 'retrying cannot help until the setting changes');
    // Kept through history: a reloaded conversation explains it the same way.
    const saved = { id: 'c1', createdAt: NOW, updatedAt: NOW, turns: [failedTurn(facts(thrown))] };
    const reloaded = readConversation(JSON.parse(JSON.stringify(writeConversation(saved)))).conversation?.turns[0];
    assert.ok(reloaded);
    const view = turnView(reloaded, { now: NOW, actionable: false, alternatives: [] });
    assert.ok(view.role === 'assistant');
    assert.match(view.error?.headline ?? '', /free quota/);
  });

  it('auth or an expired key: set the key first', () => {
    const explained = explainFailure(
      facts(
        error({ kind: 'auth', message: 'Authentication failed (qwen 401): Invalid API-key provided.', status: 401 }),
      ),
      NOW,
    );
    assert.equal(explained.headline, 'Qwen (Model Studio) refused the API key.');
    assert.match(explained.detail, /missing, wrong, revoked or expired/);
    assert.deepEqual(explained.actions, ['set-key', 'switch', 'retry']);
    const view = turnView(failedTurn(facts(error({ kind: 'auth', message: 'Authentication failed (qwen 401).' }))), {
      now: NOW,
      actionable: true,
      alternatives: [{ id: 'ollama', name: 'Ollama' }],
    });
    assert.equal(view.role, 'assistant');
    assert.deepEqual(view.role === 'assistant' && view.error?.actions, [
      { kind: 'set-key', providerId: 'qwen', label: 'Set API key for Qwen (Model Studio)' },
      { kind: 'switch', providerId: 'ollama', label: 'Switch to Ollama and retry' },
      { kind: 'pick', label: 'Choose another backend…' },
      { kind: 'retry', label: 'Retry' },
    ]);
  });

  it('VS Code’s models refused (no consent, not signed in): no API key is blamed or asked for; retry to be asked again', () => {
    const editor = { id: 'editor', name: 'VS Code language models', model: 'copilot/gpt-4.1', protocol: 'vscode-lm' };
    const refused = failureFacts(
      new ProviderError({
        kind: 'auth',
        providerId: 'editor',
        code: 'NoPermissions',
        message: 'VS Code did not let Switchboard use this language model: The user did not consent.',
      }),
      editor,
    );
    const explained = explainFailure(refused, NOW);
    assert.equal(explained.headline, 'VS Code did not let Switchboard use copilot/gpt-4.1.');
    assert.doesNotMatch(`${explained.headline} ${explained.detail}`, /key/i);
    assert.match(explained.detail, /Allow/);
    assert.deepEqual(explained.actions, ['retry', 'switch']);
    const view = turnView(
      { ...failedTurn(refused), backendId: 'editor', backendName: editor.name },
      { now: NOW, actionable: true, alternatives: [] },
    );
    assert.ok(view.role === 'assistant');
    assert.ok(!view.error?.actions.some((action) => action.kind === 'set-key'), 'no "Set API key" button');
  });

  it('network and timeout: could not reach, retry first', () => {
    const network = explainFailure(
      facts(error({ kind: 'network', message: 'Network error (qwen): ECONNREFUSED' })),
      NOW,
    );
    assert.equal(network.headline, 'Could not reach Qwen (Model Studio).');
    assert.match(network.detail, /no connection|server is down/);
    assert.deepEqual(network.actions, ['retry', 'switch']);
    assert.equal(
      explainFailure({ kind: 'timeout', message: 'x', backendName: 'Groq' }, NOW).headline,
      'Groq took too long to answer.',
    );
  });

  it("bad request: the backend's own words are in the detail", () => {
    const explained = explainFailure(
      facts(error({ kind: 'bad-request', message: 'Request rejected (qwen 400): temperature must be <= 2' })),
      NOW,
    );
    assert.equal(explained.headline, 'Qwen (Model Studio) rejected the request as invalid.');
    assert.match(explained.detail, /temperature must be <= 2/);
  });

  it('server error and overload: on their side, retry', () => {
    const server = explainFailure(
      facts(error({ kind: 'server', message: 'Backend error (qwen 500).', status: 500 })),
      NOW,
    );
    assert.equal(server.headline, 'Qwen (Model Studio) had an internal error (HTTP 500).');
    assert.match(server.detail, /on Qwen \(Model Studio\)'s side/);
    assert.equal(server.actions[0], 'retry');
    const overloaded = explainFailure({ kind: 'overloaded', message: 'x', backendName: 'Anthropic' }, NOW);
    assert.match(overloaded.detail, /not a limit of yours/);
  });

  it('too long, no model, no backend, and anything else', () => {
    assert.deepEqual(explainFailure({ kind: 'context-too-long', message: 'x', model: 'm' }, NOW).actions, [
      'new-chat',
      'switch',
    ]);
    assert.match(
      explainFailure({ kind: 'model-not-found', message: 'x', backendName: 'B', model: 'gpt-9' }, NOW).headline,
      /"gpt-9"/,
    );
    assert.deepEqual(explainFailure({ kind: 'no-backend', message: 'x' }, NOW).actions, ['switch']);
    const unknown = failureFacts(new TypeError('boom'));
    assert.equal(unknown.kind, 'unknown');
    assert.equal(explainFailure(unknown, NOW).detail, 'boom');
  });

  it('model not found on Ollama: the command that pulls it, also after a reload; elsewhere, the setting', () => {
    const ollama = { id: 'ollama', name: 'Ollama (local)', model: 'qwen2.5-coder:7b', protocol: 'ollama' };
    const thrown = new ProviderError({
      kind: 'model-not-found',
      providerId: 'ollama',
      message: 'Model not found (ollama 404): model "qwen2.5-coder:7b" not found, try pulling it first',
      status: 404,
    });
    const pull = 'Run `ollama pull qwen2.5-coder:7b` or choose another model (Switchboard: Choose Model…).';
    assert.equal(explainFailure(failureFacts(thrown, ollama), NOW).detail, pull);
    const saved = { id: 'c1', createdAt: NOW, updatedAt: NOW, turns: [failedTurn(failureFacts(thrown, ollama))] };
    const reloaded = readConversation(JSON.parse(JSON.stringify(writeConversation(saved)))).conversation?.turns[0];
    assert.ok(reloaded);
    const view = turnView(reloaded, { now: NOW, actionable: false, alternatives: [] });
    assert.ok(view.role === 'assistant');
    assert.equal(view.error?.detail, pull);
    assert.match(
      explainFailure(failureFacts(thrown, { ...qwen, protocol: 'openai' }), NOW).detail,
      /Check chatModel in the switchboard\.providers setting/,
    );
  });

  it('a reset already past says so instead of a time in the past', () => {
    assert.equal(
      explainFailure({ kind: 'rate-limited', message: 'x', resetAt: NOW - 1 }, NOW).resets,
      'It should have lifted by now.',
    );
  });

  it('with no other backend to turn to, offers to add one instead of a picker that could only add one', () => {
    const turn = failedTurn(facts(error({ kind: 'auth', message: 'Authentication failed (qwen 401).' })));
    const kinds = (alternatives: { id: string; name: string; found?: boolean }[]) => {
      const view = turnView(turn, { now: NOW, actionable: true, alternatives });
      assert.ok(view.role === 'assistant');
      return view.error?.actions.map((action) => `${action.kind}: ${action.label}`);
    };
    // Nothing else at all; or only the failing backend itself among the alternatives.
    for (const alternatives of [[], [{ id: 'qwen', name: 'Qwen (Model Studio)' }]]) {
      assert.deepEqual(kinds(alternatives), [
        'set-key: Set API key for Qwen (Model Studio)',
        'add: Add a backend and retry…',
        'retry: Retry',
      ]);
    }
    // A server found on this machine is not configured yet: no one-click switch, but the picker lists it.
    assert.deepEqual(kinds([{ id: 'ollama-found', name: 'Ollama', found: true }]), [
      'set-key: Set API key for Qwen (Model Studio)',
      'pick: Choose another backend…',
      'retry: Retry',
    ]);
    // With no backend configured at all, the one way on is to add one.
    const none = turnView(
      {
        role: 'assistant',
        id: 't2',
        text: '',
        status: 'failed',
        at: NOW,
        error: { kind: 'no-backend', message: 'No chat backend is configured.' },
      },
      { now: NOW, actionable: true, alternatives: [] },
    );
    assert.ok(none.role === 'assistant');
    assert.ok(none.error?.actions.some((action) => action.kind === 'add'));
    assert.ok(!none.error?.actions.some((action) => action.kind === 'pick'));
  });

  it('offers actions on the last answer only, and never the failing backend as its own alternative', () => {
    const turn = failedTurn(facts(error({ kind: 'rate-limited', message: 'Rate limited (qwen 429).' })));
    const alternatives = [
      { id: 'qwen', name: 'Qwen (Model Studio)' },
      { id: 'deepseek', name: 'DeepSeek' },
    ];
    const last = turnView(turn, { now: NOW, actionable: true, alternatives });
    const older = turnView(turn, { now: NOW, actionable: false, alternatives });
    assert.ok(last.role === 'assistant' && older.role === 'assistant');
    assert.deepEqual(
      last.error?.actions.map((action) => action.kind),
      ['retry', 'switch', 'pick'],
    );
    assert.ok(!last.error?.actions.some((action) => action.kind === 'switch' && action.providerId === 'qwen'));
    assert.deepEqual(older.error?.actions, []);
    assert.equal(last.error?.backendMessage, 'Rate limited (qwen 429).');
    assert.equal(last.source, 'Qwen (Model Studio) · qwen3-coder-plus');
  });
});
