import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import { activateSwitchboard, completeNewFunction, eventually } from './helpers';

const PLAN_KEY_VARIABLE = 'SWITCHBOARD_INTEGRATION_WAIT_PLAN_KEY';
/** What the server allows in 5 hours: far below the plan's own 1,200, as when the key is also used elsewhere. */
const SERVER_ALLOWS = 2;

describe('automatic completion after the server refused the quota', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    process.env[PLAN_KEY_VARIABLE] = 'sk-sp-integration-wait-0123456789';
    await config().update('completion.yieldToChat', false, vscode.ConfigurationTarget.Global);
    emulator = await startEmulator({
      quotas: { 'coding-plan': { requestsPer5h: SERVER_ALLOWS, quotaStyle: 'coding-plan' } },
    });
  });
  after(async () => {
    await config().update('completion.yieldToChat', undefined, vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    delete process.env[PLAN_KEY_VARIABLE];
    await emulator.close();
  });

  it('stops asking until the quota may be back, says so, and still sends when asked', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    await config().update(
      'providers',
      [
        ...original,
        {
          id: 'plan-wait',
          name: 'Coding Plan',
          preset: 'coding-plan-intl',
          baseUrl: `${emulator.url}/coding/v1`,
          completionModel: 'qwen3.7-plus',
          apiKeyEnv: PLAN_KEY_VARIABLE,
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'plan-wait', vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', 'plan-wait', vscode.ConfigurationTarget.Global);
    await eventually(
      () => api.statusBarItem.accessibilityInformation?.label ?? '',
      (label) => label.includes('Coding Plan'),
      'the status bar to show the plan',
    );
    const sent = () => emulator.count(/\/coding\/v1\/chat\/completions$/);
    for (let i = 0; i <= SERVER_ALLOWS; i++) await completeNewFunction(api, 'wait');
    await eventually(
      () => api.limits.stateOf('plan-wait')?.failure?.kind,
      (kind) => kind === 'quota-exhausted',
      'the server to refuse the quota',
    );
    const refusedAt = sent();
    assert.equal(refusedAt, SERVER_ALLOWS + 1);

    // Typing on: nothing goes to a server that would refuse each request the same way.
    for (let i = 0; i < 4; i++) assert.equal(await completeNewFunction(api, 'wait'), 0);
    assert.equal(sent(), refusedAt, 'no request after the refusal');

    // The status bar says the server's word, not the local count of 3 of 1,200.
    const text = await eventually(
      () => api.statusBarItem.text,
      (value) => value.includes('quota used up'),
      'the status bar to say the quota is used up',
    );
    assert.doesNotMatch(text, /\/ 1,200/);
    const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
    assert.match(
      tooltip,
      /Automatic completion waits until \d\d:\d\d, then tries once: Coding Plan said its quota is used up/,
    );
    assert.doesNotMatch(tooltip, /plan requests in 5 h/, 'no room left is shown beside the refusal');
    // The refused request cost nothing, and the plan covered the rest: never "$0.00".
    assert.match(tooltip, /Spent today on this backend: included in plan/);

    // Asked for, a completion goes: that is how the user finds out whether it is back.
    await completeNewFunction(api, 'wait', vscode.InlineCompletionTriggerKind.Invoke);
    assert.equal(sent(), refusedAt + 1);
  });
});
