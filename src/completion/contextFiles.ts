import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { followsImports, importCandidates, importExcerpt, importsOf, MAX_IMPORTS } from '../core/completion/imports';
import type { ContextSnippet } from '../core/completion/prompt';
import { log } from '../log';
import { realPathInside } from '../core/fsPaths/realPathInside';
import { CompletionExclude } from './completionExclude';
import { promptPathOf } from '../promptPathOf';

const TRACKED = 20;
const CANDIDATES = 6;
/** Lines around an edit, and the most lines of a file offered whole. */
const AROUND_EDIT = 40;
const WHOLE_FILE_LINES = 400;
/** Imported files larger than this are not read: generated or vendored code, not a helper. */
const MAX_IMPORTED_BYTES = 256_000;
/** Imports are looked up again this long after the last edit; they change rarely. */
const IMPORTS_SETTLE_MS = 1_000;
/** Documents whose imports are remembered, and imported files whose text is kept. */
const IMPORTING_DOCUMENTS = 20;
const IMPORTED_FILES = 40;

interface Seen {
  uri: string;
  /** Line of the latest edit, when the user edited it. */
  editedLine: number | undefined;
  /**
   * A file's real path (links resolved), which the exclude list is checked against too; undefined
   * until looked up, or when the file is not on disk.
   */
  real?: string;
}

/**
 * Remembers which documents the user recently edited or looked at, and offers pieces of them as
 * prompt context for a file of the same language. Bounded in files and lines, so a long session
 * or a huge file cannot blow up the prompt or the time to build it.
 */
export class CompletionContextFiles implements vscode.Disposable {
  private readonly recent: Seen[] = [];
  private readonly subscriptions: vscode.Disposable[];
  /** Files that may hold secrets are never offered, however recently they were open. */
  readonly exclude = new CompletionExclude();

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        const change = event.contentChanges[0];
        if (change) this.note(event.document.uri, change.range.start.line);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.note(editor.document.uri, undefined);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      this.imports,
      this.exclude,
    ];
    for (const editor of vscode.window.visibleTextEditors) this.note(editor.document.uri, undefined);
  }

  /** The project files a document imports; kept up to date for the active editor. */
  readonly imports = new ImportedFiles(this.exclude);

  /**
   * Candidate snippets for `document`: recent same-language files first, then other visible
   * editors. None in Restricted Mode: an untrusted workspace's other files are not context.
   */
  snippetsFor(document: vscode.TextDocument): ContextSnippet[] {
    if (!vscode.workspace.isTrusted) return [];
    const current = document.uri.toString();
    const byUri = new Map(vscode.workspace.textDocuments.map((doc) => [doc.uri.toString(), doc]));
    const snippets: ContextSnippet[] = [];
    // By URI: two files outside the workspace may share a file name, which is all a prompt shows of them.
    const offered = new Set<string>();
    for (const seen of this.recent) {
      if (snippets.length >= CANDIDATES) break;
      const other = byUri.get(seen.uri);
      if (
        !other ||
        seen.uri === current ||
        other.languageId !== document.languageId ||
        other.uri.scheme === 'output' ||
        this.exclude.excludedBy(other.uri) ||
        // `src/settings.js -> ../.env` is the .env: a file is offered only once its real path is known.
        (other.uri.scheme === 'file' &&
          (seen.real === undefined || this.exclude.excludedBy(vscode.Uri.file(seen.real))))
      )
        continue;
      snippets.push({ path: promptPathOf(other.uri), text: excerpt(other, seen.editedLine) });
      offered.add(seen.uri);
    }
    for (const imported of this.imports.filesOf(document)) {
      const key = imported.uri.toString();
      if (key === current || offered.has(key) || this.exclude.excludedBy(imported.uri)) continue;
      // An open document's text is the one being edited; the file on disk may be behind it.
      const open = byUri.get(imported.uri.toString());
      const text = open ? importExcerpt(open.getText(), imported.names, WHOLE_FILE_LINES) : imported.excerpt;
      snippets.push({ path: promptPathOf(imported.uri), text });
      offered.add(key);
    }
    return snippets;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private note(uri: vscode.Uri, editedLine: number | undefined): void {
    if (
      uri.scheme !== 'file' &&
      uri.scheme !== 'untitled' &&
      uri.scheme !== 'vscode-remote' &&
      uri.scheme !== 'vscode-userdata'
    )
      return;
    const key = uri.toString();
    const index = this.recent.findIndex((seen) => seen.uri === key);
    const previous = index === -1 ? undefined : this.recent.splice(index, 1)[0];
    this.recent.unshift({ uri: key, editedLine: editedLine ?? previous?.editedLine, real: previous?.real });
    if (this.recent.length > TRACKED) this.recent.pop();
    if (uri.scheme === 'file' && !previous) void this.lookUpRealPath(uri);
  }

  private async lookUpRealPath(uri: vscode.Uri): Promise<void> {
    const real = await realpath(uri.fsPath).catch(() => undefined);
    // The entry may have been noted again (a new object) or forgotten while this ran.
    const seen = this.recent.find((entry) => entry.uri === uri.toString());
    if (seen) seen.real = real;
  }

  private forget(uri: vscode.Uri): void {
    const index = this.recent.findIndex((seen) => seen.uri === uri.toString());
    if (index !== -1) this.recent.splice(index, 1);
  }
}

/** The lines around the latest edit, or the start of a file the user only looked at. */
function excerpt(document: vscode.TextDocument, editedLine: number | undefined): string {
  if (document.lineCount <= WHOLE_FILE_LINES) return document.getText();
  const centre = editedLine ?? 0;
  const start = Math.max(0, centre - AROUND_EDIT);
  const end = Math.min(document.lineCount - 1, editedLine === undefined ? WHOLE_FILE_LINES - 1 : centre + AROUND_EDIT);
  return document.getText(new vscode.Range(start, 0, end, document.lineAt(end).text.length));
}

interface ImportedFile {
  uri: vscode.Uri;
  names: string[];
  /** What of the file on disk is offered: worked out at lookup, not on each request. */
  excerpt: string;
}

/**
 * Follows the active document's imports to the project files they name and keeps their text, so
 * completion can show the model a helper the user never opened. The lookup runs when a document
 * becomes active and a second after edits stop, never on the keystroke that asks for a completion.
 */
export class ImportedFiles implements vscode.Disposable {
  private readonly byDocument = new Map<string, ImportedFile[]>();
  private readonly texts = new Map<string, { mtime: number; text: string }>();
  /** The import statements each document had at its last lookup. */
  private readonly signatures = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  /** The lookup in progress, so tests and callers can wait for it. */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly exclude: CompletionExclude) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.refresh(editor.document)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== vscode.window.activeTextEditor?.document) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.refresh(event.document, { onlyIfImportsChanged: true }), IMPORTS_SETTLE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forgetDocument(document.uri.toString())),
    ];
    const active = vscode.window.activeTextEditor?.document;
    if (active) void this.refresh(active);
  }

  /** The imported files known for `document`, in import order. */
  filesOf(document: vscode.TextDocument): readonly ImportedFile[] {
    return this.byDocument.get(document.uri.toString()) ?? [];
  }

  /**
   * Looks `document`'s imports up again; resolves when done. After an edit that left the import
   * statements as they were, nothing is looked up: the files are read again when the user comes
   * back to the document.
   */
  refresh(document: vscode.TextDocument, options: { onlyIfImportsChanged?: boolean } = {}): Promise<void> {
    this.running = this.running.then(() =>
      this.lookUp(document, options.onlyIfImportsChanged === true).catch((error: unknown) =>
        log().info(
          `Completion context: imports of ${vscode.workspace.asRelativePath(document.uri, false)} not followed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ),
    );
    return this.running;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private forgetDocument(key: string): void {
    this.byDocument.delete(key);
    this.signatures.delete(key);
  }

  private async lookUp(document: vscode.TextDocument, onlyIfImportsChanged: boolean): Promise<void> {
    const key = document.uri.toString();
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    // Only on the local disk (a virtual folder is not walked here) and only in a trusted workspace.
    if (
      !folder ||
      folder.uri.scheme !== 'file' ||
      !vscode.workspace.isTrusted ||
      !followsImports(document.languageId)
    ) {
      this.forgetDocument(key);
      return;
    }
    const refs = importsOf(document.getText(), document.languageId).slice(0, MAX_IMPORTS);
    const signature = JSON.stringify(refs);
    if (onlyIfImportsChanged && this.signatures.get(key) === signature) return;
    this.signatures.set(key, signature);
    const directory = vscode.Uri.joinPath(document.uri, '..');
    const found: ImportedFile[] = [];
    for (const ref of refs) {
      for (const candidate of importCandidates(ref, document.languageId)) {
        const uri = vscode.Uri.joinPath(candidate.base === 'root' ? folder.uri : directory, candidate.path);
        // Only the project's own files: an import that climbs out of the folder is not followed.
        if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() !== folder.uri.toString()) continue;
        if (uri.toString() === key || this.exclude.excludedBy(uri)) continue;
        const text = await this.load(uri, folder.uri);
        if (text !== undefined) {
          found.push({ uri, names: ref.names, excerpt: importExcerpt(text, ref.names, WHOLE_FILE_LINES) });
          break;
        }
      }
    }
    this.byDocument.delete(key);
    this.byDocument.set(key, found);
    if (this.byDocument.size > IMPORTING_DOCUMENTS) {
      const oldest = this.byDocument.keys().next().value;
      if (oldest !== undefined) this.forgetDocument(oldest);
    }
  }

  /**
   * The file's text, read again only when it changed; undefined when it is not a readable text
   * file, or its real path (links resolved) is outside the workspace folder or may hold secrets.
   */
  private async load(linked: vscode.Uri, folder: vscode.Uri): Promise<string | undefined> {
    const real = await realPathInside(linked.fsPath, [folder.fsPath]);
    if (real === undefined) return undefined;
    const uri = vscode.Uri.file(real);
    // A repository's `src/settings.js -> ../.env` names a module; what it reaches is the .env.
    if (this.exclude.excludedBy(uri)) return undefined;
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return undefined;
    }
    if (stat.type !== vscode.FileType.File || stat.size > MAX_IMPORTED_BYTES) return undefined;
    const key = uri.toString();
    let entry = this.texts.get(key);
    this.texts.delete(key);
    if (entry?.mtime !== stat.mtime) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      // Binary content is not code to show a model.
      if (bytes.includes(0)) return undefined;
      entry = { mtime: stat.mtime, text: new TextDecoder().decode(bytes) };
    }
    // Re-inserted, so the Map's order is the order of use and the oldest goes first.
    this.texts.set(key, entry);
    if (this.texts.size > IMPORTED_FILES) {
      const oldest = this.texts.keys().next().value;
      if (oldest !== undefined) this.texts.delete(oldest);
    }
    return entry.text;
  }
}
