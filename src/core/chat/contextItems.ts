/**
 * Editor context turned into the exact text sent with a question. Each item carries the block
 * it adds to the prompt, so the token estimate on its chip is the estimate of what is sent.
 */
import { fenceFor } from '../markdownFence';
import { promptPath } from '../fsPaths/promptPath';
import { estimateTokens } from '../providers/usage';
import type { ContextRef, UserTurn } from './conversation';

/** About 8k tokens a file or selection: enough to reason about, not enough to crowd out the answer. */
export const MAX_CONTEXT_CHARS = 32_000;

export interface ContextSource {
  kind: 'selection' | 'file';
  /** What the user reads and the backend is sent: a workspace-relative path, or the file name (see promptPath). */
  path: string;
  /** The editor's language id, used as the fence's info string. */
  language?: string;
  text: string;
  /** 1-based, inclusive; for a selection. */
  startLine?: number;
  endLine?: number;
}

export interface ContextItem {
  id: string;
  /** The same thing seen again (the same file, the same range) has the same key. */
  key: string;
  kind: 'selection' | 'file';
  /** Short, for the chip: "app.ts" or "app.ts:10-20". */
  label: string;
  /** Long, for the tooltip and screen readers. */
  description: string;
  /** Exactly what this item adds to the prompt. */
  block: string;
  tokens: number;
  truncated: boolean;
}

/** The chip as the webview draws it. */
export interface ContextChip {
  id: string;
  kind: 'selection' | 'file';
  label: string;
  description: string;
  tokens: number;
  truncated: boolean;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Cuts at a line end within `maxChars`, and says how much was left out. */
function truncate(text: string, maxChars: number): { text: string; note?: string } {
  if (text.length <= maxChars) return { text };
  const totalLines = text.split('\n').length;
  const cut = text.lastIndexOf('\n', maxChars);
  const kept = text.slice(0, cut > 0 ? cut : maxChars);
  const keptLines = kept.split('\n').length;
  return {
    text: kept,
    note: `[Truncated: only the first ${keptLines.toLocaleString('en-US')} of ${totalLines.toLocaleString('en-US')} lines are included.]`,
  };
}

export function contextItem(id: string, key: string, given: ContextSource, maxChars = MAX_CONTEXT_CHARS): ContextItem {
  // The heading goes to the backend: never an absolute path (see promptPath).
  const source = { ...given, path: promptPath(given.path) };
  const lines =
    source.kind === 'selection' && source.startLine !== undefined
      ? source.endLine !== undefined && source.endLine !== source.startLine
        ? `${source.startLine}-${source.endLine}`
        : `${source.startLine}`
      : undefined;
  const lineWords = lines === undefined ? '' : `, ${lines.includes('-') ? 'lines' : 'line'} ${lines}`;
  const heading = source.kind === 'selection' ? `Selection from ${source.path}${lineWords}:` : `File ${source.path}:`;
  const { text, note } = truncate(source.text, maxChars);
  const fence = fenceFor(text);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const block = `${heading}\n${fence}${source.language ?? ''}\n${body}${fence}${note ? `\n${note}` : ''}`;
  const tokens = estimateTokens(block);
  const label = `${baseName(source.path)}${lines ? `:${lines}` : ''}`;
  return {
    id,
    key,
    kind: source.kind,
    label,
    description: `${heading.slice(0, -1)} · about ${tokens.toLocaleString('en-US')} tokens${note ? ` · ${note.slice(1, -1)}` : ''}`,
    block,
    tokens,
    truncated: note !== undefined,
  };
}

/** The user message for a question: every context block, then the question. */
export function userPrompt(question: string, items: readonly ContextItem[]): string {
  if (items.length === 0) return question;
  return `${items.map((item) => item.block).join('\n\n')}\n\n${question}`;
}

/** A question as the conversation keeps it: as typed, as sent, and what its chips showed. */
export function questionTurn(id: string, question: string, items: readonly ContextItem[], at: number): UserTurn {
  return {
    role: 'user',
    id,
    text: question,
    prompt: userPrompt(question, items),
    context: items.map(contextRef),
    ...(items.length > 0 && { contextChars: items.map((item) => item.block.length) }),
    at,
  };
}

export function chipOf(item: ContextItem): ContextChip {
  return {
    id: item.id,
    kind: item.kind,
    label: item.label,
    description: item.description,
    tokens: item.tokens,
    truncated: item.truncated,
  };
}

export function contextRef(item: ContextItem): ContextRef {
  return { kind: item.kind, label: item.label, tokens: item.tokens, truncated: item.truncated };
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * What a notification says of picked files that were not added. A file's name is the repository's
 * to choose, and a notification makes `[x](command:…)` in its text a clickable command and `$(x)`
 * an icon: each name is written so it reads as neither.
 */
export function notAddedNotice(failed: readonly string[], refused: readonly string[]): string | undefined {
  const names = (paths: readonly string[]) =>
    paths
      .map((path) =>
        path
          .replace(CONTROLS, ' ')
          .replace(/\]\s*\(/g, '] (')
          .replace(/\$\(/g, '$ ('),
      )
      .join(', ');
  const parts = [
    failed.length ? `Switchboard: could not read ${names(failed)} as text.` : '',
    refused.length ? `Switchboard: did not add ${names(refused)}: a link leads outside the workspace.` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}
