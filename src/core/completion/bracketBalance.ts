/**
 * Bracket balance between a completion and the code around the cursor (step 6 of post-processing,
 * and the check step 5 relies on). Brackets are counted in code only, never in strings or comments.
 */
import { IN_CODE, scanCode, type LexicalSyntax, type ScanState } from './codeScan';

const OPENERS = '([{';
const PARTNER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** An opener still open before the cursor, or one the completion opened (`own`, at index `at`). */
export interface OpenBracket {
  char: string;
  own: boolean;
  at: number;
}

/** What the bracket steps need to know about the cursor. */
export interface BracketContext {
  syntax: LexicalSyntax;
  /** Scanner state at the cursor: the completion starts in it. */
  state: ScanState;
  /** Openers left open by the prefix, innermost last. */
  open: readonly OpenBracket[];
  /** Closers in the suffix with no opener in the suffix: they close something before the cursor. */
  suffixClosers: readonly string[];
  restOfLine: string;
}

/** The openers the prefix leaves open, innermost last, and the scanner state at its end. */
export function openBracketsBefore(prefix: string, syntax: LexicalSyntax): { open: OpenBracket[]; state: ScanState } {
  const open: OpenBracket[] = [];
  const state = scanCode(prefix, syntax, IN_CODE, (ch) => {
    if (OPENERS.includes(ch)) open.push({ char: ch, own: false, at: -1 });
    else if (PARTNER[ch] !== undefined && open.at(-1)?.char === PARTNER[ch]) open.pop();
  });
  return { open, state };
}

/** The closers in `suffix` that no opener in `suffix` accounts for, in order. */
export function unmatchedClosers(suffix: string, syntax: LexicalSyntax, from: ScanState): string[] {
  const suffixClosers: string[] = [];
  const depth: string[] = [];
  scanCode(suffix, syntax, from, (ch) => {
    const partner = PARTNER[ch];
    if (OPENERS.includes(ch)) depth.push(ch);
    else if (partner !== undefined && depth.length === 0) suffixClosers.push(ch);
    else if (partner !== undefined && depth.at(-1) === partner) depth.pop();
  });
  return suffixClosers;
}

/** Whether `text` closes no bracket it did not open itself. */
export function isSelfContained(text: string, syntax: LexicalSyntax): boolean {
  let depth = 0;
  let closesOutside = false;
  scanCode(text, syntax, IN_CODE, (ch) => {
    if (OPENERS.includes(ch)) depth++;
    else if (PARTNER[ch] !== undefined && --depth < 0) closesOutside = true;
  });
  return !closesOutside;
}

/**
 * How many of the open brackets the suffix's closers account for: each closer pairs with the
 * innermost open bracket of its kind below the last one paired (brackets of another kind in between
 * stay open; a closer with no partner is ignored). A count, not an identity: `wrap(parse(` before
 * one `)` needs one more `)`, whichever of the two the suffix's is taken to close.
 */
export function countSuffixClosed(open: readonly OpenBracket[], closers: readonly string[]): number {
  let top = open.length - 1;
  let count = 0;
  for (const closer of closers) {
    let j = top;
    while (j >= 0 && open[j]?.char !== PARTNER[closer]) j--;
    if (j < 0) continue;
    count++;
    top = j - 1;
    if (top < 0) break;
  }
  return count;
}

/**
 * Cuts the text at the first closer that closes a bracket from before the cursor which the suffix
 * already closes (`foo(` + `a, b)` + `)`), found as the closer after which the suffix's closers
 * account for fewer brackets. Brackets the suffix does not close may be closed by the completion.
 */
export function cutOverClosing(text: string, cursor: BracketContext): string {
  if (cursor.open.length === 0 || cursor.suffixClosers.length === 0) return text;
  const closedBySuffix = countSuffixClosed(cursor.open, cursor.suffixClosers);
  const stack = [...cursor.open];
  let cut = -1;
  scanCode(text, cursor.syntax, cursor.state, (ch, i) => {
    if (cut !== -1) return;
    if (OPENERS.includes(ch)) {
      stack.push({ char: ch, own: true, at: i });
      return;
    }
    const top = stack.at(-1);
    if (PARTNER[ch] === undefined || top?.char !== PARTNER[ch]) return;
    stack.pop();
    const before = stack.filter((bracket) => !bracket.own);
    if (!top.own && countSuffixClosed(before, cursor.suffixClosers) < closedBySuffix) cut = i;
  });
  return cut === -1 ? text : text.slice(0, cut);
}

/**
 * A single line that opens a bracket neither it nor the rest of the line closes was cut short
 * (token limit) unless it ends with the opener or a comma (the code goes on on the next line). It
 * is cut back to before the outermost such bracket: `console.log(foo(a, b` becomes `console.log`.
 */
export function cutUnclosedOpeners(text: string, cursor: BracketContext): string {
  const stack = [...cursor.open];
  const state = scanCode(text, cursor.syntax, cursor.state, (ch, i) => {
    if (OPENERS.includes(ch)) stack.push({ char: ch, own: true, at: i });
    else if (PARTNER[ch] !== undefined && stack.at(-1)?.char === PARTNER[ch]) stack.pop();
  });
  if (!stack.some((bracket) => bracket.own) || /[([{,]\s*$/.test(text)) return text;
  scanCode(cursor.restOfLine, cursor.syntax, state, (ch) => {
    const top = stack.at(-1);
    if (top?.own && PARTNER[ch] === top.char) stack.pop();
  });
  const outermost = stack.find((bracket) => bracket.own);
  return outermost ? text.slice(0, outermost.at).trimEnd() : text;
}
