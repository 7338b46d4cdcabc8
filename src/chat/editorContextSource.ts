import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { contextItem, notAddedNotice, type ContextItem, type ContextSource } from '../core/chat/contextItems';
import { ContextTracker, MAX_PICKED } from '../core/chat/contextTracker';
import { log } from '../log';
import { readContextFile } from './contextFile';
import { CompletionExclude } from '../completion/completionExclude';
import { promptPathOf } from '../promptPathOf';

/** Typing and moving the cursor settle before the chips are recomputed. */
const SETTLE_MS = 250;
const MAX_LISTED_FILES = 5_000;
const MAX_LOOKED_UP = 200;
/** Documents that are the user's text, not output panels, diffs or settings views. */
const SCHEMES: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-remote']);

/**
 * Feeds the chat's context tracker from the editor: the active editor's selection and file by
 * default, and files the user picks.
 */
export class EditorContextSource implements vscode.Disposable {
  readonly tracker = new ContextTracker();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  /** The id each key was shown with, so the chip for a file stays the same chip while the file is edited. */
  private idsByKey = new Map<string, string>();
  /** Key and block of each default last set, so an unchanged editor does not bump the revision. */
  private lastDefaults = '';
  /** A file that may hold secrets is never a chip by itself; the user can still add it by hand. */
  private readonly exclude = new CompletionExclude();
  /**
   * The real path (links resolved) of each file shown: undefined while it is looked up, null when
   * it is not on disk. A file is no chip until it is known.
   */
  private readonly realPaths = new Map<string, string | null | undefined>();

  constructor() {
    const active = (editor: vscode.TextEditor) => editor === vscode.window.activeTextEditor;
    this.subscriptions = [
      this.changed,
      this.exclude,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((event) => active(event.textEditor) && this.schedule()),
      vscode.workspace.onDidChangeTextDocument(
        (event) => event.document === vscode.window.activeTextEditor?.document && this.schedule(),
      ),
    ];
    this.refresh();
  }

  remove(id: string): void {
    if (this.tracker.remove(id)) this.changed.fire();
  }

  /** After a question is sent: picked files were for it; the editor's defaults stay. */
  afterSend(): void {
    this.tracker.clearPicked();
    this.changed.fire();
  }

  /** Lets the user add workspace files (or any file, with no folder open). */
  async pick(): Promise<void> {
    const uris = await this.chooseFiles();
    if (!uris?.length) return;
    const items: ContextItem[] = [];
    const failed: string[] = [];
    const refused: string[] = [];
    for (const uri of uris.slice(0, MAX_PICKED)) {
      const path = vscode.workspace.asRelativePath(uri, false);
      const read = await readContextFile(uri);
      if ('source' in read) items.push(this.item(`file:${uri.toString()}`, read.source));
      else if ('refused' in read) {
        log().info(`Chat context: did not add ${path}: it leads outside the workspace through a link.`);
        refused.push(path);
      } else {
        log().info(`Chat context: could not add ${path}: ${read.failed}`);
        failed.push(path);
      }
    }
    const notice = notAddedNotice(failed, refused);
    if (notice) void vscode.window.showWarningMessage(notice);
    this.tracker.add(items);
    this.changed.fire();
  }

  private async chooseFiles(): Promise<readonly vscode.Uri[] | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) {
      return vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Add to chat context' });
    }
    const files = await vscode.workspace.findFiles('**/*', undefined, MAX_LISTED_FILES);
    const open = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
    const entries = files
      .map((uri) => {
        const path = vscode.workspace.asRelativePath(uri, true);
        const slash = path.lastIndexOf('/');
        return {
          uri,
          label: path.slice(slash + 1),
          description: slash > 0 ? path.slice(0, slash) : '',
          open: open.has(uri.toString()),
        };
      })
      .sort(
        (a, b) =>
          Number(b.open) - Number(a.open) ||
          a.description.localeCompare(b.description) ||
          a.label.localeCompare(b.label),
      );
    const picked = await vscode.window.showQuickPick(entries, {
      title: 'Add files to the chat context',
      placeHolder: 'Type to filter; open files are listed first',
      canPickMany: true,
      matchOnDescription: true,
    });
    return picked?.map((entry) => entry.uri);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), SETTLE_MS);
  }

  private refresh(): void {
    const editor = vscode.window.activeTextEditor;
    const items: ContextItem[] = [];
    if (editor && SCHEMES.has(editor.document.uri.scheme) && !this.mayHoldSecrets(editor.document.uri)) {
      const { document, selection } = editor;
      const uri = document.uri.toString();
      const path = promptPathOf(document.uri);
      if (!selection.isEmpty) {
        // A selection that ends at the start of a line does not include that line.
        const endLine =
          selection.end.character === 0 && selection.end.line > selection.start.line
            ? selection.end.line
            : selection.end.line + 1;
        const range = `${selection.start.line}:${selection.start.character}-${selection.end.line}:${selection.end.character}`;
        items.push(
          this.item(`selection:${uri}:${range}`, {
            kind: 'selection',
            path,
            language: document.languageId,
            text: document.getText(selection),
            startLine: selection.start.line + 1,
            endLine,
          }),
        );
      }
      items.push(
        this.item(`file:${uri}`, { kind: 'file', path, language: document.languageId, text: document.getText() }),
      );
    }
    const fingerprint = JSON.stringify(items.map((item) => [item.key, item.block]));
    if (fingerprint === this.lastDefaults) return;
    this.lastDefaults = fingerprint;
    this.tracker.setDefaults(items);
    // Ids of keys no longer offered or picked are forgotten, or every selection ever made would stay.
    const live = new Set([...items, ...this.tracker.items()].map((item) => item.key));
    for (const key of this.idsByKey.keys()) if (!live.has(key)) this.idsByKey.delete(key);
    this.changed.fire();
  }

  /** Whether the file or the file its links lead to is excluded; true until that is known. */
  private mayHoldSecrets(uri: vscode.Uri): boolean {
    if (this.exclude.excludedBy(uri)) return true;
    if (uri.scheme !== 'file') return false;
    const key = uri.toString();
    if (!this.realPaths.has(key)) {
      // Bounded: a long session shows many files; one shown again is looked up again.
      if (this.realPaths.size >= MAX_LOOKED_UP) this.realPaths.clear();
      this.realPaths.set(key, undefined);
      void realpath(uri.fsPath)
        .catch(() => null)
        .then((real) => {
          // Forgotten meanwhile (disposed, or the map was full): looked up again when shown again.
          if (!this.realPaths.has(key)) return;
          this.realPaths.set(key, real);
          if (vscode.window.activeTextEditor?.document.uri.toString() === key) this.schedule();
        });
      return true;
    }
    const real = this.realPaths.get(key);
    return real === undefined || (real !== null && this.exclude.excludedBy(vscode.Uri.file(real)) !== undefined);
  }

  private item(key: string, source: ContextSource): ContextItem {
    let id = this.idsByKey.get(key);
    if (id === undefined) {
      id = `ctx-${this.nextId++}`;
      this.idsByKey.set(key, id);
    }
    return contextItem(id, key, source);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.realPaths.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
