/**
 * Turns a document and a cursor into ghost text. Knows nothing of VS Code: documents arrive as
 * text, an offset and a language id. The inline-completion issue grows this into the full engine
 * (prompt budget, templates, cache, type-ahead); this is the first honest version.
 */
import type { FimRequest, FimResult } from '../providers/types';
import { cutAtStops, templateForModel } from './fimTemplates';

export interface CompletionInput {
  text: string;
  offset: number;
  languageId: string;
  path?: string;
}

export interface CompletionResult {
  /** Text to insert at the cursor. */
  insertText: string;
  model: string;
  multiline: boolean;
}

export interface FimBackend {
  fim(request: FimRequest): Promise<FimResult>;
}

export interface EngineOptions {
  prefixChars: number;
  suffixChars: number;
  maxTokens: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = { prefixChars: 4_000, suffixChars: 1_500, maxTokens: 128 };

export async function completeAt(
  backend: FimBackend,
  input: CompletionInput,
  signal: AbortSignal,
  options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
  model?: string,
): Promise<CompletionResult | undefined> {
  const offset = Math.max(0, Math.min(input.offset, input.text.length));
  const prefix = input.text.slice(Math.max(0, offset - options.prefixChars), offset);
  const suffix = input.text.slice(offset, offset + options.suffixChars);
  const lineEnd = suffix.indexOf('\n');
  const restOfLine = lineEnd === -1 ? suffix : suffix.slice(0, lineEnd);
  // Mid-line (something other than closers after the cursor) a completion fits on one line.
  const multiline = /^[\s)\]}>;,'"`]*$/.test(restOfLine);
  // For backends on the raw-template route; others ignore rawPrompt and use prefix/suffix.
  const template = model ? templateForModel(model) : undefined;
  const lineStops = multiline ? ['\n\n\n'] : ['\n'];
  const result = await backend.fim({
    prefix,
    suffix,
    ...(template && { rawPrompt: template.build(prefix, suffix, { path: input.path }), rawStop: template.stop }),
    maxTokens: options.maxTokens,
    stop: lineStops,
    signal,
  });
  // Some servers ignore stop sequences: never show a template's control token.
  const text = template ? cutAtStops(result.text, template.stop) : result.text;
  const insertText = shapeCompletion(text, restOfLine, multiline);
  if (!insertText) return undefined;
  return { insertText, model: result.model, multiline };
}

/** Cuts the raw model text to what can be shown at the cursor. */
export function shapeCompletion(raw: string, restOfLine: string, multiline: boolean): string {
  let text = multiline ? raw : raw.split('\n', 1)[0] ?? '';
  text = text.replace(/\s+$/, '');
  // Drop an echo of what already follows the cursor on this line.
  const tail = restOfLine.trim();
  if (tail && text.endsWith(tail)) text = text.slice(0, text.length - tail.length).replace(/\s+$/, '');
  return text;
}
