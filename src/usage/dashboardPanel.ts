import * as vscode from 'vscode';
import { plural } from '../core/usage/formatMoney';
import { computeDashboard, presetRange, type LabelOf } from '../core/usage/dashboardData';
import { removedBackendLabel } from '../core/settings/backendLabel';
import type { ExportFormat } from '../core/usage/exportUsage';
import { log } from '../log';
import { webviewToHost, type HostToWebview, type RangeSelection } from '../protocol/dashboardProtocol';
import type { UsageMeter } from './usageMeter';
import type { Backends } from '../backends/backends';
import { askExportTarget } from './exportDialog';
import { webviewHtml, webviewRoots } from '../webviewHtml';

export const DASHBOARD_VIEW_TYPE = 'switchboard.dashboard';
export const DASHBOARD_TITLE = 'Switchboard Usage';

/** New requests arrive in bursts (each completion keystroke, each window's refresh): one recompute a second at most. */
const REFRESH_DELAY_MS = 1_000;

/** Registers "Switchboard: Open Usage Dashboard". Nothing is built until the command runs. */
export function registerDashboard(extensionUri: vscode.Uri, meter: UsageMeter, backends: Backends): vscode.Disposable {
  let panel: DashboardPanel | undefined;
  const command = vscode.commands.registerCommand('switchboard.openDashboard', () => {
    if (panel) panel.reveal();
    else {
      panel = new DashboardPanel(extensionUri, meter, backends);
      panel.onDidDispose(() => (panel = undefined));
    }
  });
  return { dispose: () => (command.dispose(), panel?.dispose()) };
}

/**
 * The usage dashboard: one editor panel at a time. Its figures are computed here from the
 * ledger's raw records and sent whole; the webview only draws them.
 */
class DashboardPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private selection: RangeSelection = { days: 7 };
  private timer: NodeJS.Timeout | undefined;
  /** Bumped per computation, so a slow one for an old range never overwrites a newer answer. */
  private generation = 0;
  private isDisposed = false;
  /** How long the last recompute took: a long history reads slowly, so it is refreshed less often. */
  private lastComputeMs = 0;

  constructor(
    extensionUri: vscode.Uri,
    private readonly meter: UsageMeter,
    private readonly backends: Backends,
  ) {
    this.panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, DASHBOARD_TITLE, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewRoots(extensionUri),
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'switchboard.svg');
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, {
      title: DASHBOARD_TITLE,
      script: 'dashboard.js',
      style: 'dashboard.css',
      body: DASHBOARD_BODY,
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      meter.onDidChange(() => this.schedule()),
      backends.onDidChange(() => this.schedule()),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  private receive(raw: unknown): void {
    const parsed = webviewToHost.safeParse(raw);
    if (!parsed.success) {
      log().warn(
        `Dropped an invalid message from the usage dashboard: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`,
      );
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        // Also sent after the panel was hidden and shown again: the webview starts afresh then.
        void this.send();
        return;
      case 'range':
        this.selection = 'days' in message ? { days: message.days } : { from: message.from, to: message.to };
        void this.send();
        return;
      case 'export':
        void this.export(message.format);
        return;
    }
  }

  /**
   * At most one recompute a second however many records arrive (less often when one takes long,
   * so the ledger is not read back to back); none while the panel is hidden.
   */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.panel.visible) void this.send();
      },
      Math.max(REFRESH_DELAY_MS, this.lastComputeMs * 4),
    );
  }

  private async send(): Promise<void> {
    const generation = ++this.generation;
    if (!this.meter.ready) {
      // The meter fires onDidChange once the ledger opens (which sends the figures), or fails to.
      const failure = this.meter.unavailable;
      this.post({
        type: 'unavailable',
        message: failure
          ? `No usage can be shown: ${failure}. Spending is not recorded in this window; see the Switchboard output for what to do.`
          : 'The usage ledger is still opening…',
      });
      return;
    }
    const selection = this.selection;
    const range = 'days' in selection ? presetRange(selection.days, Date.now()) : selection;
    try {
      const started = Date.now();
      const providers = this.backends.current().providers;
      // A removed backend's spend stays, under a name the user knows, marked removed.
      const labelOf: LabelOf = (id, recordedName) =>
        providers.find((config) => config.id === id)?.name ?? removedBackendLabel(id, recordedName);
      const data = await computeDashboard(this.meter.records(range), range, labelOf, {
        events: this.meter.events(range),
      });
      this.lastComputeMs = Date.now() - started;
      if (generation === this.generation) this.post({ type: 'data', selection, data, updatedAt: Date.now() });
    } catch (error) {
      log().error(`The usage dashboard could not read the ledger: ${String(error)}`);
      if (generation === this.generation)
        this.post({
          type: 'unavailable',
          message: 'The usage ledger could not be read. See the Switchboard output for details.',
        });
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    if (!this.meter.ready) {
      if (this.meter.unavailable) void vscode.window.showWarningMessage(this.meter.notReadyText());
      else void vscode.window.showInformationMessage(this.meter.notReadyText());
      return;
    }
    const target = await askExportTarget(format);
    if (!target) return;
    try {
      const count = await this.meter.export(target.fsPath, format);
      void vscode.window.showInformationMessage(
        `Switchboard: exported ${plural(count, 'request')} to ${target.fsPath}.`,
      );
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Switchboard: the export failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

const DASHBOARD_BODY = `<header class="toolbar">
  <h1>Switchboard Usage</h1>
  <fieldset class="ranges">
    <legend>Range (UTC days)</legend>
    <label><input type="radio" name="range" value="1"><span>Today</span></label>
    <label><input type="radio" name="range" value="7" checked><span>7 days</span></label>
    <label><input type="radio" name="range" value="30"><span>30 days</span></label>
    <label><input type="radio" name="range" value="90"><span>90 days</span></label>
  </fieldset>
  <div class="exports">
    <button type="button" id="export-csv" title="Save every recorded request as CSV">Export CSV…</button>
    <button type="button" id="export-json" title="Save every recorded request as JSON">Export JSON…</button>
  </div>
</header>
<p class="status"><span id="status" role="status" aria-live="polite">Loading…</span> <span id="updated" class="updated"></span></p>
<main id="content" hidden>
  <h2 class="visually-hidden">Totals</h2>
  <dl id="totals" class="totals"></dl>
  <p id="empty" class="empty" hidden>No requests were recorded in this range. Completions and chat requests appear here as they are made.</p>
  <div id="charts" class="charts">
    <figure>
      <figcaption id="cost-title">Cost per day by backend</figcaption>
      <ul id="cost-legend" class="legend" aria-label="Backends"></ul>
      <div id="cost-chart" class="chart" role="img" aria-labelledby="cost-title" aria-describedby="cost-summary"></div>
      <p id="cost-summary" class="visually-hidden"></p>
      <p id="cost-note" class="note"></p>
    </figure>
    <figure>
      <figcaption id="traffic-title">Requests and tokens per day</figcaption>
      <ul id="traffic-legend" class="legend" aria-label="Series"></ul>
      <div id="traffic-chart" class="chart" role="img" aria-labelledby="traffic-title" aria-describedby="traffic-summary"></div>
      <p id="traffic-summary" class="visually-hidden"></p>
    </figure>
    <figure>
      <figcaption id="latency-title">Latency per day</figcaption>
      <ul id="latency-legend" class="legend" aria-label="Series"></ul>
      <div id="latency-chart" class="chart" role="img" aria-labelledby="latency-title" aria-describedby="latency-summary"></div>
      <p id="latency-summary" class="visually-hidden"></p>
    </figure>
    <p id="readout" class="readout" aria-hidden="true"></p>
  </div>
  <section id="models-section" aria-labelledby="models-title">
    <h2 id="models-title">By model</h2>
    <div class="table-wrap"><table id="models"></table></div>
  </section>
  <section id="acceptance-section" aria-labelledby="acceptance-title" hidden>
    <h2 id="acceptance-title">What a completion is worth</h2>
    <p class="note">Shown: handed to the editor. Cost per accepted: every completion request's cost over the suggestions taken, whole or a word or line at a time. Kept: still in the file 30 s after the accept.</p>
    <div class="table-wrap"><table id="acceptance"></table></div>
  </section>
  <details id="daily-details">
    <summary>Daily figures as a table</summary>
    <div class="table-wrap"><table id="daily"></table></div>
  </details>
</main>`;
