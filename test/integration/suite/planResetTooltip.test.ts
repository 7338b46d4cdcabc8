/**
 * Alibaba's Coding Plan run out in the real extension host: the server refuses with no reset of
 * its own, and the plan's own 5-hour window explains it. The tooltip's table then says when that
 * window resets, as the status bar and the "on … until … resets" line do, not "—".
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import { activateWithLedger, completeNewFunction, config, eventually, useCompletionBackend } from './helpers';

const PER_5H = 2;

describe("a spent Coding Plan's reset in the tooltip", () => {
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    emulator = await startEmulator({ quotas: { 'coding-plan': { requestsPer5h: PER_5H } } });
  });
  after(async () => {
    for (const key of ['completion.provider', 'completion.yieldToChat'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    delete process.env.SWITCHBOARD_TEST_PLAN_KEY;
    await emulator.close();
  });

  it('the table gives the window’s reset beside "quota used up"', async () => {
    const api = await activateWithLedger();
    await useCompletionBackend(
      api,
      original,
      {
        id: 'plan-reset',
        name: 'Reset plan',
        preset: 'coding-plan-intl',
        baseUrl: emulator.baseUrls.codingPlan,
        apiKeyEnv: 'SWITCHBOARD_TEST_PLAN_KEY',
        plan: { tier: 'lite', requestsPer5h: PER_5H },
      },
      'sk-sp-test-0123456789abcdef',
    );
    for (let i = 0; i <= PER_5H && !api.limits.stateOf('plan-reset')?.failure; i++)
      await completeNewFunction(api, 'planReset');
    await eventually(
      () => api.limits.stateOf('plan-reset')?.failure?.kind,
      (kind) => kind === 'quota-exhausted',
      'the server to refuse the spent plan',
    );
    const tooltip = await eventually(
      () => (api.statusBarItem.tooltip as vscode.MarkdownString | undefined)?.value ?? '',
      (value) => /\| Reset plan \|[^\n]*quota used up/.test(value),
      'the table to say the quota is used up',
    );
    const row = tooltip.split('\n').find((line) => line.startsWith('| Reset plan |')) ?? '';
    const resets = row.split('|').at(-2)?.trim();
    assert.notEqual(resets, '—', row);
    assert.match(resets ?? '', /\d\d:\d\d/, row);
  });
});
