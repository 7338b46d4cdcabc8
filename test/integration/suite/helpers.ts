import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../../src/extension';
import type { UsageRecord } from '../../../src/core/usage/usageRecord';

export const EXTENSION_ID = 'switchboard-dev.switchboard';

export async function activateSwitchboard(): Promise<SwitchboardApi> {
  const extension = vscode.extensions.getExtension<SwitchboardApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return extension.activate();
}

/** Activates the extension and waits for its usage ledger, which opens asynchronously. */
export async function activateWithLedger(): Promise<SwitchboardApi> {
  const api = await activateSwitchboard();
  await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
  return api;
}

export function metric(name: string, value: number): void {
  const metrics = (globalThis as { switchboardMetrics?: Record<string, number> }).switchboardMetrics;
  if (metrics) metrics[name] = value;
}

/** Waits for a condition the extension reaches asynchronously (settings events, for one). */
export async function eventually<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

/** Waits for the status bar text to satisfy `accept`, and returns it. */
export function statusBarText(
  api: SwitchboardApi,
  accept: (text: string) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<string> {
  return eventually(() => api.statusBarItem.text, accept, what, timeoutMs);
}

/** Switchboard's settings, read afresh each time: a configuration object is a snapshot. */
export const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('switchboard');

/**
 * Writes user settings one after the other, in the order given: each write is its own change
 * event, which the extension may act on before the next. `undefined` removes a setting.
 */
export async function setUserSettings(values: Readonly<Record<string, unknown>>): Promise<void> {
  for (const [key, value] of Object.entries(values))
    await config().update(key, value, vscode.ConfigurationTarget.Global);
}

/** Removes these user settings, one after the other. */
export async function clearUserSettings(keys: readonly string[]): Promise<void> {
  for (const key of keys) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
}

/**
 * Adds `entry` to the `original` backends and makes it the completion backend, with completion
 * spending its window like any request (no yielding to chat). `key` goes into the environment
 * variable the entry's `apiKeyEnv` names, as a user's shell would give it. Returns a reader of the
 * completion records the backend leaves from now on.
 */
export async function useCompletionBackend(
  api: SwitchboardApi,
  original: readonly unknown[],
  entry: { id: string; apiKeyEnv?: string } & Record<string, unknown>,
  key?: string,
): Promise<() => Promise<UsageRecord[]>> {
  if (entry.apiKeyEnv && key !== undefined) process.env[entry.apiKeyEnv] = key;
  await config().update('providers', [...original, entry], vscode.ConfigurationTarget.Global);
  await config().update('completion.provider', entry.id, vscode.ConfigurationTarget.Global);
  await config().update('completion.yieldToChat', false, vscode.ConfigurationTarget.Global);
  const since = Date.now();
  return async () => {
    const found: UsageRecord[] = [];
    for await (const record of api.meter.records({ from: since }))
      if (record.backend === entry.id && record.feature === 'completion') found.push(record);
    return found;
  };
}

/** What the user settings held before a suite's first test. */
export interface SuiteStart {
  /** The backends list, the suite's emulator first. */
  providers: unknown[];
  /** The base URL of the suite's emulator (its OpenAI-compatible side). */
  emulatorBaseUrl: string;
}

/**
 * For a describe block whose tests write user settings: remembers the backends list before the
 * first test and, after each test, removes the settings named (in that order) and puts the list
 * back. Read the returned fields from hooks and tests, not when the block is declared.
 */
export function restoreSettingsAfterEach(keys: readonly string[]): SuiteStart {
  const start: SuiteStart = { providers: [], emulatorBaseUrl: '' };
  before(() => {
    start.providers = config().get<unknown[]>('providers') ?? [];
    start.emulatorBaseUrl = (start.providers[0] as { baseUrl: string }).baseUrl;
  });
  afterEach(async () => {
    await clearUserSettings(keys);
    await setUserSettings({ providers: start.providers });
  });
  return start;
}

/** A user-defined backend entry on an emulator, completing with the emulator's coder model. */
export function emulatorBackend(
  baseUrl: string,
  id: string,
  name: string,
  more: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return { id, name, preset: 'custom', baseUrl, completionModel: 'emulator-coder', ...more };
}

let completions = 0;

/**
 * One inline completion request at the end of a new function's first line (`function <prefix>N(a, b) {`),
 * so nothing is answered from the cache. Returns how many items came back. Each suite is bundled
 * with its own copy of this counter, so each suite passes a prefix of its own.
 */
export async function completeNewFunction(
  api: SwitchboardApi,
  prefix: string,
  triggerKind = vscode.InlineCompletionTriggerKind.Automatic,
): Promise<number> {
  const line = `function ${prefix}${++completions}(a, b) {`;
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `${line}\n}\n` });
  const items = await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    new vscode.Position(0, line.length),
    { triggerKind, selectedCompletionInfo: undefined },
    new vscode.CancellationTokenSource().token,
  );
  return Array.isArray(items) ? items.length : (items?.items.length ?? 0);
}

/** The inline completion items Switchboard gives at `position`, as VS Code would ask for them. */
export async function itemsAt(
  api: SwitchboardApi,
  document: vscode.TextDocument,
  position: vscode.Position,
  context: Partial<vscode.InlineCompletionContext> = {},
): Promise<vscode.InlineCompletionItem[]> {
  const source = new vscode.CancellationTokenSource();
  const result = await api.inlineCompletionProvider.provideInlineCompletionItems(
    document,
    position,
    { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined, ...context },
    source.token,
  );
  return (Array.isArray(result) ? result : (result?.items ?? [])) as vscode.InlineCompletionItem[];
}
