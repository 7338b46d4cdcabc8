import * as vscode from 'vscode';
import { createClient, type Backends } from './backends';
import { findPreset, PRESETS, testFailureText, type Preset } from '../core/providers/presets';
import { parseProviders, type ProviderConfig } from '../core/settings/providerSettings';
import { chooseEditorModel } from '../chat/vscodeChat/editorModelsChoice';
import type { KeyStore } from './keyStore';
import { SECTION } from './settings';
import { listModelIds, pickModel } from './modelChoice';
import { loadProviderRuntime } from './lazyRuntime';
import { presetPriceText, type PerMTokLookup } from '../core/usage/backendPrice';
import { backendSpend } from '../core/usage/costClass';
import { newBackendBudget, parseNewBudget, type BudgetKey, type NewBudget } from '../core/usage/newBudget';
import {
  NOT_A_LIST,
  OPEN_USER_SETTINGS,
  openUserSettingsIf,
  settingsWriteProblem,
  userProviderList,
} from './settingsWrite';
import { log } from '../log';

/** The wizard's steps that apply to one preset, so the title counts right ("2/4"). */
function stepsFor(preset: Preset, presetChosen: boolean, budget: boolean): string[] {
  return [
    ...(presetChosen ? [] : ['backend']),
    ...(needsUrl(preset) ? ['url'] : []),
    ...(preset.requiresKey ? ['key'] : []),
    ...(preset.protocol === 'vscode-lm' ? ['editor-model'] : ['models']),
    ...(budget ? ['budget'] : []),
  ];
}

const priceLookup: PerMTokLookup = (presetId, model, local, url) =>
  loadProviderRuntime().pricePerMTok(presetId, model, local, url);

/** The daily budget to offer for `config` as it would be saved; undefined when none is due. */
function budgetDue(config: ProviderConfig): NewBudget | undefined {
  const overall = vscode.workspace.getConfiguration(SECTION).get<Partial<Record<BudgetKey, unknown>>>('budget') ?? {};
  return newBackendBudget(
    (['chat', 'completion'] as const).map((role) => backendSpend(config, role, priceLookup)),
    overall,
  );
}

/**
 * The budget step, for a backend that bills per request: what is typed goes under the entry's
 * `limits`; empty is no budget. False when the user left the wizard (Escape), as at every step.
 */
async function askBudget(
  config: ProviderConfig,
  entry: Record<string, unknown>,
  title: (step: string, what: string) => string,
): Promise<boolean> {
  const due = budgetDue(config);
  if (!due) return true;
  const unit = due.currency === 'CNY' ? 'yuan' : 'US dollars';
  const typed = await vscode.window.showInputBox({
    title: title('budget', `a daily budget for ${config.name}?`),
    prompt: `In ${unit} per UTC day. At the budget, automatic completion pauses until midnight and chat asks before it sends; Alt+\\ still asks. Leave empty for no budget.`,
    placeHolder: due.currency === 'CNY' ? 'e.g. 10' : 'e.g. 2',
    ignoreFocusOut: true,
    validateInput: (value) => parseNewBudget(value).error,
  });
  if (typed === undefined) return false;
  const { amount } = parseNewBudget(typed);
  if (amount !== undefined) entry.limits = { [due.key]: amount };
  return true;
}

const needsUrl = (preset: Preset) => preset.local === true || preset.id === 'custom' || preset.id === 'litellm';

/** A new entry's id: the preset's, numbered when that is taken ("ollama-2"). */
function freeId(backends: Backends, presetId: string): string {
  const ids = new Set(backends.current().providers.map((provider) => provider.id));
  let id = presetId;
  for (let n = 2; ids.has(id); n++) id = `${presetId}-${n}`;
  return id;
}

/**
 * The preset's name ("OpenRouter"), or "OpenRouter 2" beside another of that name: without one,
 * the status bar, the pickers and every notification would call the backend by its id.
 */
function freeName(backends: Backends, presetName: string): string {
  const names = new Set(backends.current().providers.map((provider) => provider.name));
  let name = presetName;
  for (let n = 2; names.has(name); n++) name = `${presetName} ${n}`;
  return name;
}

/**
 * Add Provider: preset → where it runs (when that varies) → key into secret storage → connection
 * test (Retry / Change key / Add anyway) → models (from the backend's own list) → saved to user
 * settings. `presetId` starts at a given preset (the Qwen Code migration does).
 */
export async function addProvider(
  backends: Backends,
  keys: KeyStore,
  options: { presetId?: string } = {},
): Promise<ProviderConfig | undefined> {
  const given = options.presetId ? findPreset(options.presetId) : undefined;
  const preset = given ?? (await pickPreset());
  if (!preset) return undefined;
  // Whether a budget will be asked for, as far as the preset's own models tell (the models chosen decide).
  const defaults = parseProviders([{ id: preset.id, preset: preset.id }]).providers[0];
  const steps = stepsFor(preset, given !== undefined, defaults !== undefined && budgetDue(defaults) !== undefined);
  const title = (step: string, what: string) => {
    const at = steps.indexOf(step);
    return at < 0 ? `Add provider: ${what}` : `Add provider (${at + 1}/${steps.length}): ${what}`;
  };

  let baseUrl: string | undefined;
  if (needsUrl(preset)) {
    baseUrl = await vscode.window.showInputBox({
      title: title('url', `where does ${preset.name} run?`),
      value: preset.baseUrl,
      ignoreFocusOut: true,
      validateInput: (value) => (/^https?:\/\/[^\s]+$/.test(value) ? undefined : 'An http:// or https:// URL'),
    });
    if (baseUrl === undefined) return undefined;
  }
  const id = freeId(backends, preset.id);
  const entry: Record<string, unknown> = {
    id,
    name: freeName(backends, preset.name),
    preset: preset.id,
    ...(baseUrl && baseUrl !== preset.baseUrl && { baseUrl }),
  };
  if (preset.protocol === 'vscode-lm') {
    const editorModel = await chooseEditorModel();
    if (editorModel === undefined) return undefined;
    if (editorModel !== preset.chatModel)
      Object.assign(entry, { chatModel: editorModel, completionModel: editorModel });
  }
  const config = parseEntry(entry);
  if (!config) return undefined;

  let key: string | undefined;
  // Leaving the box empty falls back to the variable only when it is set; otherwise no key is sent.
  const envKeySet = config.apiKeyEnv !== undefined && Boolean(process.env[config.apiKeyEnv]?.trim());
  const askKey = async (): Promise<boolean> => {
    const typed = await vscode.window.showInputBox({
      title: title('key', `API key for ${preset.name}`),
      prompt: `Kept in VS Code's secret storage, never in settings.${envKeySet ? ` Leave empty to use $${config.apiKeyEnv}.` : ''}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return false;
    key = typed.trim() || undefined;
    const mismatch = key && keyMismatch(preset, key);
    if (mismatch) {
      const choice = await vscode.window.showWarningMessage(
        `Switchboard: ${mismatch}`,
        { modal: true },
        'Use This Key',
      );
      if (choice !== 'Use This Key') return askKey();
    }
    return true;
  };
  if (preset.requiresKey && !(await askKey())) return undefined;

  // The connection test: a failure is answered, never dismissed by a timeout.
  for (;;) {
    const client = createClient(config, key ?? (config.apiKeyEnv ? process.env[config.apiKeyEnv] : undefined));
    const probe = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Switchboard: testing ${preset.name}…` },
      () => client.probe(),
    );
    if (probe.ok) {
      if (preset.protocol !== 'vscode-lm') {
        const ids = await listModelIds(client, config);
        for (const role of ['chat', 'completion'] as const) {
          const model = await pickModel(ids, config, role, title('models', `model for ${role}`));
          if (model === undefined) return undefined;
          if (model !== (role === 'chat' ? config.chatModel : config.completionModel)) entry[`${role}Model`] = model;
        }
      }
      // The models chosen decide what it costs.
      if (!(await askBudget(parseEntry(entry) ?? config, entry, title))) return undefined;
      if (!(await saveNewBackend(config, key, entry, keys))) return undefined;
      backends.noteTest(config, undefined);
      void vscode.window.setStatusBarMessage(
        `Switchboard: added ${preset.name} (answered in ${Math.round(probe.latencyMs)} ms)`,
        5000,
      );
      return backends.current().providers.find((provider) => provider.id === id);
    }
    const actions = ['Retry', ...(preset.requiresKey ? ['Change Key'] : []), 'Add Anyway'];
    const choice = await vscode.window.showWarningMessage(
      `${preset.name} did not answer the connection test.`,
      { modal: true, detail: `${testFailureText(preset, probe)}\n\nAdd it anyway to fix it later, or try again.` },
      ...actions,
    );
    if (choice === 'Retry') continue;
    if (choice === 'Change Key') {
      if (!(await askKey())) return undefined;
      continue;
    }
    if (choice !== 'Add Anyway') return undefined;
    if (!(await askBudget(config, entry, title))) return undefined;
    if (!(await saveNewBackend(config, key, entry, keys))) return undefined;
    // Added but not working: said where the backend shows until a request of its is served.
    backends.noteTest(config, probe.detail ?? 'it did not answer');
    void vscode.window.setStatusBarMessage(`Switchboard: added ${preset.name} without a working connection`, 5000);
    return backends.current().providers.find((provider) => provider.id === id);
  }
}

async function pickPreset(): Promise<Preset | undefined> {
  const pick = await vscode.window.showQuickPick(
    PRESETS.filter((preset) => !preset.discontinued).map((preset) => ({
      label: preset.name,
      // Its price (or local / free / included in a plan), and "price unknown" said as such.
      description: presetPriceText(preset, priceLookup),
      detail: preset.baseUrl || 'The models VS Code already offers, such as a signed-in Copilot’s',
      preset,
    })),
    // The description names a preset's model: typing "qwen" finds the plans that serve Qwen too.
    { title: 'Add provider: which backend?', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return pick?.preset;
}

function parseEntry(entry: Record<string, unknown>): ProviderConfig | undefined {
  const { providers, problems } = parseProviders([entry]);
  if (!providers[0])
    void vscode.window.showErrorMessage(`Switchboard: ${problems[0]?.message ?? 'that entry is not valid'}`);
  return providers[0];
}

/**
 * Saves a new backend: its key into secret storage, its entry into user settings. When VS Code
 * will not write settings.json, the key goes too (left alone, it would wait there for a later
 * entry of this id), the user reads why, and Try Again saves what they entered once the file is
 * fixed. False when nothing was saved.
 */
export async function saveNewBackend(
  config: ProviderConfig,
  key: string | undefined,
  entry: Record<string, unknown>,
  keys: KeyStore,
): Promise<boolean> {
  for (;;) {
    // A key left in secret storage by a removed entry of the same id belongs to that one's server.
    if (key) await keys.set(config, key);
    else await keys.delete(config.id);
    const settings = vscode.workspace.getConfiguration(SECTION);
    const user = userProviderList(settings);
    if (!user) {
      // Written over, the user's own value would be lost; spread, a string would become its letters.
      await keys.delete(config.id);
      const choice = await vscode.window.showErrorMessage(
        `Switchboard: ${config.name} was not added: ${NOT_A_LIST} Fix it in your user settings, then add the backend again.`,
        OPEN_USER_SETTINGS,
      );
      openUserSettingsIf(choice);
      return false;
    }
    try {
      await settings.update('providers', [...user, entry], vscode.ConfigurationTarget.Global);
      return true;
    } catch (error) {
      await keys.delete(config.id);
      const message = `Switchboard: ${config.name} was not added${key ? ', and its key not kept' : ''}. ${settingsWriteProblem(error)} Fix the file, then Try Again: what you entered is kept until this message is closed.`;
      log().warn(message);
      let choice: string | undefined;
      do {
        choice = await vscode.window.showErrorMessage(message, TRY_AGAIN, OPEN_USER_SETTINGS);
        openUserSettingsIf(choice);
      } while (choice === OPEN_USER_SETTINGS);
      if (choice !== TRY_AGAIN) return false;
    }
  }
}

const TRY_AGAIN = 'Try Again';

/**
 * A key that belongs to another endpoint: Alibaba's Coding Plan keys (`sk-sp-…`) work only on the
 * Coding Plan hosts, and Model Studio keys only on Model Studio's. Only the prefix is looked at.
 */
function keyMismatch(preset: Preset, key: string): string | undefined {
  const codingPrefix = findPreset('coding-plan-intl')?.keyPrefix;
  if (preset.keyPrefix && !key.startsWith(preset.keyPrefix))
    return `${preset.name} keys start with "${preset.keyPrefix}"; this one does not, so it is probably a key for another service (a Model Studio key does not work on the Coding Plan).`;
  if (!preset.keyPrefix && codingPrefix && preset.id.startsWith('dashscope') && key.startsWith(codingPrefix))
    return `This looks like an Alibaba Coding Plan key ("${codingPrefix}…"), which works only with the Coding Plan presets, not with ${preset.name}.`;
  return undefined;
}
