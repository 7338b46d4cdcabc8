import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { compileExclude, DEFAULT_COMPLETION_EXCLUDE } from '../core/completion/excludeGlobs';
import { SECTION } from '../backends/settings';

const KEY = 'completion.exclude';
const MAX_REAL_PATHS = 200;

/**
 * `switchboard.completion.exclude`: files that get no completion request and are never sent as
 * context. The user's list (or the default) decides; a workspace can add patterns, never remove
 * one, so a cloned repository cannot open its `.env` to completion.
 */
export class CompletionExclude implements vscode.Disposable {
  private matcher: ((path: string) => string | undefined) | undefined;
  private readonly realPaths = new Map<string, Promise<string | undefined>>();
  /** Files excluded only by where their links lead, as learned; for the status bar, which cannot wait. */
  private readonly linkedExcluded = new Map<string, { real: string; pattern: string }>();
  private readonly learned = new vscode.EventEmitter<void>();
  /** A file was found to lead to an excluded one. */
  readonly onDidLearn = this.learned.event;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(`${SECTION}.${KEY}`)) this.matcher = undefined;
  });

  /** The pattern that excludes `uri`, or undefined when completion and context may use it. */
  excludedBy(uri: vscode.Uri): string | undefined {
    this.matcher ??= compileExclude(patterns());
    return this.matcher(uri.path);
  }

  /**
   * As `excludedBy`, and for a file on disk also by the file its links lead to: a repository's
   * `src/settings.js -> ../.env` is the .env.
   */
  async excludedByTarget(uri: vscode.Uri): Promise<string | undefined> {
    const byName = this.excludedBy(uri);
    if (byName !== undefined || uri.scheme !== 'file') return byName;
    const real = await this.realPath(uri);
    const pattern = real === undefined ? undefined : this.excludedBy(vscode.Uri.file(real));
    if (real !== undefined && pattern !== undefined && !this.linkedExcluded.has(uri.toString())) {
      if (this.linkedExcluded.size >= MAX_REAL_PATHS) this.linkedExcluded.clear();
      this.linkedExcluded.set(uri.toString(), { real, pattern });
      this.learned.fire();
    }
    return pattern;
  }

  /** As `excludedByTarget`, from what is known now: the link's target once a request has looked it up. */
  knownExclusion(uri: vscode.Uri): { pattern: string; real?: string } | undefined {
    const pattern = this.excludedBy(uri);
    return pattern !== undefined ? { pattern } : this.linkedExcluded.get(uri.toString());
  }

  /** Looked up once per file (completion asks on every key), in a bounded map. */
  private realPath(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    let real = this.realPaths.get(key);
    if (!real) {
      if (this.realPaths.size >= MAX_REAL_PATHS) this.realPaths.clear();
      real = realpath(uri.fsPath).catch(() => undefined);
      this.realPaths.set(key, real);
    }
    return real;
  }

  dispose(): void {
    this.subscription.dispose();
    this.learned.dispose();
  }
}

function patterns(): unknown[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const user = inspected?.globalValue !== undefined ? list(inspected.globalValue) : [...DEFAULT_COMPLETION_EXCLUDE];
  return [...user, ...list(inspected?.workspaceValue), ...list(inspected?.workspaceFolderValue)];
}
