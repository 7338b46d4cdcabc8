/**
 * Loads the completion corpus (test/unit/completion/corpus/*.txt, format in its README) and runs
 * each case through the real engine, with a backend that answers the raw model text cut at the
 * stop strings the engine sends, as a real backend would. Shared by the unit test and the bench.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompletionEngine,
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionBackend,
} from '../../../src/core/completion/engine';
import { cleanHoleFillAnswer, holeFillChatRequest } from '../../../src/core/providers/holeFillPrompt';
import type { FimRequest } from '../../../src/core/providers/types';

export interface CorpusCase {
  file: string;
  languageId: string;
  title: string;
  prefix: string;
  suffix: string;
  raw: string;
  expected: string;
}

export interface CorpusOutcome {
  case: CorpusCase;
  actual: string;
  pass: boolean;
  /** What the same place shows once the answer has ended (from the cache): the final ghost text. */
  kept: string;
  /** What shows after accepting it and pressing Enter: the next line, from type-ahead or asked anew. */
  next: string;
  /** Streamed, the engine had enough before the answer ended, and the stream was closed there. */
  stoppedEarly: boolean;
}

export const CORPUS_DIR = join(__dirname, 'corpus');
const SECTION = /^--- (document|raw|expected)$/;
const HEADER = /^=== ([\w-]+): (.+)$/;

export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()) {
    let current: { languageId: string; title: string; sections: Record<string, string[]> } | undefined;
    let section: string[] | undefined;
    const flush = () => {
      if (!current) return;
      const text = (name: string) => trimTrailingBlank(current?.sections[name] ?? []).join('\n');
      const document = `${text('document')}\n`;
      const cursor = document.indexOf('█');
      if (cursor === -1 || document.indexOf('█', cursor + 1) !== -1)
        throw new Error(`${file}: "${current.title}" needs exactly one cursor mark █`);
      cases.push({
        file,
        languageId: current.languageId,
        title: current.title,
        prefix: document.slice(0, cursor),
        suffix: document.slice(cursor + 1),
        raw: text('raw'),
        expected: text('expected'),
      });
    };
    for (const line of readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').split('\n')) {
      const header = HEADER.exec(line);
      const marker = SECTION.exec(line);
      if (header) {
        flush();
        current = { languageId: header[1] ?? '', title: header[2] ?? '', sections: {} };
        section = undefined;
      } else if (marker && current) {
        section = current.sections[marker[1] ?? ''] = [];
      } else if (section) {
        section.push(line);
      }
    }
    flush();
  }
  return cases;
}

function trimTrailingBlank(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out.at(-1)?.trim() === '') out.pop();
  return out;
}

/** The raw answer as a backend returns it: cut at the first stop string the request carries. */
function applyStops(raw: string, stops: readonly string[]): string {
  let end = raw.length;
  for (const stop of stops) {
    const at = raw.indexOf(stop);
    if (stop && at !== -1 && at < end) end = at;
  }
  return raw.slice(0, end);
}

/**
 * What the engine shows for one case: the first suggestion's text, '' when none. `streamed` plays
 * the answer to the engine a character at a time first (`onText`), as a streaming backend does, so
 * whatever the engine shows before the answer ends is what it shows; and stops there, as the
 * providers do, when the engine says it has enough.
 */
export async function runCase(item: CorpusCase, streamed = false, overChat?: ChatStyle): Promise<CorpusOutcome> {
  const engine = new CompletionEngine({ settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0 }) });
  const route = overChat ? 'chat' : 'completions-suffix';
  const backend: CompletionBackend = {
    id: 'corpus',
    model: 'corpus-model',
    fim: (request: FimRequest) => {
      // Over chat the stops are those the chat request carries (holeFillChatRequest).
      const stops = (overChat ? holeFillChatRequest(request).stop : request.stop) ?? [];
      let text = applyStops(overChat ? overChat(item) : item.raw, stops);
      let stopped = false;
      if (streamed)
        for (let end = 1; end <= text.length; end++) {
          if (request.onText?.(text.slice(0, end), route) !== 'enough' || end === text.length) continue;
          text = text.slice(0, end);
          stopped = true;
          stoppedEarly = true;
          break;
        }
      return Promise.resolve({
        // The chat route hands over a whole answer cleaned (fimOverChat).
        text: overChat ? cleanHoleFillAnswer(text) : text,
        model: 'corpus-model',
        route,
        ...(stopped && { stoppedEarly: true }),
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
      });
    },
  };
  let stoppedEarly = false;
  const ask = (before = item.prefix) =>
    engine.complete(
      {
        documentId: `corpus:${item.file}:${item.title}`,
        text: before + item.suffix,
        offset: before.length,
        languageId: item.languageId,
        path: `example.${item.languageId}`,
        trigger: 'automatic',
      },
      backend,
      new AbortController().signal,
    );
  const actual = (await ask())[0]?.insertText ?? '';
  // The backend here settles at once: by now the answer has ended and the cache holds its text.
  const kept = (await ask())[0]?.insertText ?? '';
  // Accepted, then Enter: the answer's next line, kept for type-ahead (or asked for again).
  const next = actual ? ((await ask(`${item.prefix}${actual}\n`))[0]?.insertText ?? '') : '';
  return { case: item, actual, pass: actual === item.expected, kept, next, stoppedEarly };
}

export async function runCorpus(streamed = false, overChat?: ChatStyle): Promise<CorpusOutcome[]> {
  const outcomes: CorpusOutcome[] = [];
  for (const item of loadCorpus()) outcomes.push(await runCase(item, streamed, overChat));
  return outcomes;
}

/** How a chat model asked to fill the hole might wrap a case's answer. */
export type ChatStyle = (item: CorpusCase) => string;

/**
 * The ways chat models wrap the code they are asked for (see chatAnswer.ts): as is, in a fence
 * with a language, in tags, after the line before the cursor repeated, after whole lines before it
 * repeated, after a sentence that introduces a fence, in tags on lines of their own, and in a fence
 * between two sentences.
 */
export const CHAT_STYLES: Readonly<Record<string, ChatStyle>> = {
  plain: (item) => item.raw,
  fenced: (item) => `\`\`\`${item.languageId}\n${item.raw}\n\`\`\``,
  tagged: (item) => `<COMPLETION>${item.raw}</COMPLETION>`,
  'typed line repeated': (item) => `${lastLines(item.prefix, 0)}${item.raw}`,
  'two lines repeated': (item) => `${lastLines(item.prefix, 2)}${item.raw}`,
  'prose, then a fence': (item) => `Here is the completion:\n\`\`\`\n${item.raw}\n\`\`\``,
  'tags on their own lines': (item) => `<COMPLETION>\n${item.raw}\n</COMPLETION>`,
  'prose around a fence': (item) =>
    `Sure! Here's the code that fills the hole:\n\n\`\`\`${item.languageId}\n${item.raw}\n\`\`\`\n\nThis completes it.`,
};

/** The line before the cursor up to it, after `whole` whole lines before it. */
function lastLines(prefix: string, whole: number): string {
  const lines = prefix.split('\n');
  return lines.slice(Math.max(0, lines.length - 1 - whole)).join('\n');
}
