import * as vscode from 'vscode';
import { Backends } from './backends/backends';
import { ChatViewProvider } from './chat/chatViewProvider';
import { BUDGET_DECLINED, type ChatGate } from './chat/chatGate';
import { registerDashboard } from './usage/dashboardPanel';
import { CHAT_VIEW_ID, registerCommands } from './commands';
import { detectBackends } from './backends/detection';
import { offerQwenRoutes } from './backends/qwenMigration';
import { CompletionContextFiles } from './completion/contextFiles';
import { registerCompletionReport } from './completion/lastRequestReport';
import { CompletionControls } from './completion/completionControls';
import { CompletionGears } from './completion/completionGears';
import { languageEnabled } from './core/completion/requestPolicy';
import { SwitchboardInlineCompletionProvider } from './completion/inlineCompletionProvider';
import { RefusalWait } from './completion/refusalWait';
import { log } from './log';
import type { CompletionEngine } from './core/completion/engine';
import { KeyStore } from './backends/keyStore';
import { SwitchboardStatusBar, type CompletionState } from './usage/statusBar';
import { UsageMeter } from './usage/usageMeter';
import { LimitMonitor } from './usage/limitMonitor';
import { BudgetGuard } from './usage/budgetGuard';
import { ReturnAtReset } from './usage/returnAtReset';
import { registerVsCodeChat } from './chat/vscodeChat/registerVsCodeChat';
import { trySample } from './onboarding/trySample';
import { watchWalkthroughProgress } from './onboarding/walkthroughProgress';
import { openWalkthrough, welcomeOnFirstRun } from './onboarding/welcome';
import { initPlainHttpConsent } from './backends/plainHttpConsent';
import type { ProviderConfig } from './core/settings/providerSettings';

/** What `activate` returns: used by the integration tests and the activation benchmark. */
export interface SwitchboardApi {
  /** Milliseconds spent inside `activate()`. */
  readonly activationMs: number;
  /** The registered inline completion provider, so tests can call it with a real document. */
  readonly inlineCompletionProvider: vscode.InlineCompletionItemProvider;
  /** The engine behind it, whose counters tell the tests what was served from where. */
  readonly completionEngine: CompletionEngine;
  /** Where the completion prompt's snippets come from: recent files and the files a document imports. */
  readonly completionContext: CompletionContextFiles;
  /** The status bar item as VS Code holds it (the API offers no way to read another extension's item). */
  readonly statusBarItem: vscode.StatusBarItem;
  /** The usage meter over the ledger, so tests can see what was recorded. */
  readonly meter: UsageMeter;
  readonly limits: LimitMonitor;
  /** What every chat surface asks before a request goes: the budgets' say, with its reason. */
  readonly chatGate: ChatGate;
  /** The backends and their keys, so tests can store a key and see one kept from a server. */
  readonly backends: Backends;
  readonly keys: KeyStore;
}

/** The composition root: build the services, register the contributions, hand every disposable to VS Code. */
export function activate(context: vscode.ExtensionContext): SwitchboardApi {
  const started = performance.now();
  const keys = new KeyStore(context.secrets);
  initPlainHttpConsent(context.globalState);
  const backends = new Backends(keys, undefined, context.globalState);
  const retentionDays = vscode.workspace.getConfiguration('switchboard').get<number>('usage.retentionDays', 90);
  const meter = new UsageMeter(
    vscode.Uri.joinPath(context.globalStorageUri, 'usage').fsPath,
    Number.isFinite(retentionDays) && retentionDays > 0 ? retentionDays : 90,
  );
  const limits = new LimitMonitor(backends, meter, keys, context.globalState);
  const statusBar = new SwitchboardStatusBar(backends, meter, limits);
  context.subscriptions.push(meter.onDidServe(({ backend, time }) => backends.noteServed(backend, time)));
  const budgets = new BudgetGuard(backends, meter, limits, context.globalState);
  limits.budgetOffer = (config, state) => budgets.offer(config, state);
  statusBar.budgetPause = () => budgets.statusText();
  const chatGate: ChatGate = async (config) =>
    // The fallback budget never asks: past it (with the requests under way), nothing goes to the
    // target, and the reason is said where the question was asked.
    limits.fallbackHold(config, 'chat') ?? ((await budgets.confirmChat(config)) ? undefined : BUDGET_DECLINED);
  const returns = new ReturnAtReset(backends, meter, limits, context.globalState);
  returns.budgetHold = (config) => {
    const decision = budgets.decide(config, 'completion');
    return decision.completion ?? decision.chat;
  };
  statusBar.watchReturn(() => returns.view(), returns.onDidChange);
  statusBar.watchKeys(keys);
  const controls = new CompletionControls(context.globalState);
  const completionContext = new CompletionContextFiles();
  const completion = new SwitchboardInlineCompletionProvider(
    backends,
    meter,
    controls.settings,
    completionContext,
    (outcome) => statusBar.setError(outcome.error),
  );
  const fallbackAllowsCompletion = (config: ProviderConfig, invoked: boolean) => {
    const held = limits.fallbackHold(config, 'completion');
    if (held && invoked) void vscode.window.setStatusBarMessage(`Switchboard: ${held}`, 8_000);
    return !held;
  };
  // The server's refusal first: past it, a budget's note on what a request may cost is beside the point.
  const refusals = new RefusalWait(limits, backends.onDidChange);
  statusBar.completionWait = (config) => refusals.waitOf(config);
  completion.movingAway = (backendId) => limits.movingAway(backendId);
  completion.budgetGate = (config, invoked, settings) =>
    refusals.allow(config, invoked) &&
    fallbackAllowsCompletion(config, invoked) &&
    budgets.allowCompletion(config, invoked, settings);
  const gears = new CompletionGears(backends, limits);
  completion.useGears(gears);
  budgets.completionBackend = () => gears.standIn() ?? backends.configFor('completion');
  statusBar.watchCompletion(() => {
    const settings = controls.settings();
    const document = vscode.window.activeTextEditor?.document;
    const language = document?.languageId;
    const excluded = document && completion.exclude.knownExclusion(document.uri);
    return {
      snoozedUntil: settings.snoozedUntil,
      languageOff: language && !languageEnabled(settings.languages, language) ? language : undefined,
      offReason:
        excluded &&
        `${excluded.real ? `it leads to ${excluded.real}, which` : 'it'} matches "${excluded.pattern}" in switchboard.completion.exclude, files that may hold secrets`,
      gear: gearState(gears),
    };
  }, controls.onDidChange);
  gears.onDidChange(() => statusBar.render());
  const walkthrough = watchWalkthroughProgress(backends);
  completion.offered = walkthrough.offered;
  context.subscriptions.push(completion.exclude.onDidLearn(() => statusBar.render()));

  context.subscriptions.push(
    meter,
    limits,
    budgets,
    budgets.onDidChange(() => statusBar.render()),
    refusals,
    returns,
    backends,
    statusBar,
    controls,
    gears,
    walkthrough.disposable,
    completionContext,
    ...registerCommands(backends, keys, meter, limits),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, completion),
    completion,
    ...registerCompletionReport(completion),
    ChatViewProvider.register(CHAT_VIEW_ID, context.extensionUri, {
      backends,
      keys,
      meter,
      limits,
      state: context.workspaceState,
      chatGate,
    }),
    registerDashboard(context.extensionUri, meter, backends),
    ...registerVsCodeChat(context, backends, meter, chatGate, (id) => limits.movingAway(id)),
    vscode.commands.registerCommand('switchboard.getStarted', () => openWalkthrough(context)),
    vscode.commands.registerCommand('switchboard.tryCompletion', () =>
      trySample(async () => {
        const config = backends.configFor('completion');
        if (!config) return { ready: false };
        if (await backends.isReady(config)) return { ready: true };
        return { ready: false, keyless: { id: config.id, name: config.name } };
      }, controls.settings),
    ),
  );

  // Detection probes local ports and reads files: never on the activation path.
  setTimeout(() => void runDetection(context, backends, keys), 0);
  setTimeout(
    () => void welcomeOnFirstRun(context).catch((error: unknown) => log().info(`Welcome: ${String(error)}`)),
    0,
  );

  const activationMs = performance.now() - started;
  log().info(
    `Switchboard ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms.`,
  );
  return {
    activationMs,
    inlineCompletionProvider: completion,
    completionEngine: completion.engine,
    completionContext,
    statusBarItem: statusBar.item,
    meter,
    limits,
    chatGate,
    backends,
    keys,
  };
}

export function deactivate(): void {}

function gearState(gears: CompletionGears): CompletionState['gear'] {
  const text = gears.statusText();
  return text ? { text, tooltip: (escape) => gears.tooltip(escape) } : undefined;
}

const QWEN_NOTICE_KEY = 'switchboard.qwenOAuthNoticeShown';

async function runDetection(context: vscode.ExtensionContext, backends: Backends, keys: KeyStore): Promise<void> {
  const found = await detectBackends();
  backends.setDetected(found);
  if (found.length)
    log().info(
      `Found on this machine: ${found.map((backend) => `${backend.entry.name} (${backend.detail})`).join('; ')}`,
    );
  // Someone who relied on the Qwen OAuth free tier is told once, with the ways out; the notice is
  // a modal, so it stays until answered, and counts as shown only then.
  const qwen = found.find((backend) => backend.discontinued);
  if (qwen?.discontinued && !context.globalState.get<boolean>(QWEN_NOTICE_KEY)) {
    await offerQwenRoutes(backends, keys);
    await context.globalState.update(QWEN_NOTICE_KEY, true);
  }
}
