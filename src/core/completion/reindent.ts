/**
 * Step 3 of post-processing: an answer indented with spaces in a tab-indented file (chat models
 * re-indent what they write with spaces), or with tabs in a space-indented one, is written in the
 * document's style. Left as it came it mixes tabs and spaces on one line (Python's TabError), and
 * the steps after it measure the block from the wrong width. Only a clear mismatch is converted:
 * every indented line indented the other way, by levels of one width. Lines that start inside a
 * string that spans lines (a template literal, a docstring) are text, not indentation, and stay
 * as they are.
 */
import { scanCode } from './codeScan';
import type { Cursor } from './postprocessCursor';

/** How a document indents: as its editor says (VS Code's `TextEditorOptions`), or as its text shows. */
export interface IndentStyle {
  /** Spaces (true) or tabs (false). */
  insertSpaces: boolean;
  /** Columns of one level of indentation with spaces. */
  indentSize: number;
}

/** Spaces per level when nothing says otherwise: what models write for a tab, and VS Code's default. */
const DEFAULT_UNIT = 4;

/**
 * The document's style: the editor's, unless the lines before the cursor clearly use the other
 * one (the editor's detection is off): lines added the editor's way would mix both in the file,
 * which Python refuses. Without the editor's, the lines' own; undefined when nothing says.
 */
export function documentIndentStyle(prefix: string, editor: IndentStyle | undefined): IndentStyle | undefined {
  const shown = styleOfLines(prefix);
  return editor && (!shown || shown.insertSpaces === editor.insertSpaces) ? editor : shown;
}

/** The style the lines of `text` use, when they use one clearly (three lines in four). */
function styleOfLines(text: string): IndentStyle | undefined {
  let tabs = 0;
  let spaces = 0;
  const widths: number[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    // A blank line says nothing, except the cursor's own, whose indentation the editor put in.
    if (line.trim() === '' && i < lines.length - 1) continue;
    const lead = leadOf(line);
    if (lead.startsWith('\t')) tabs++;
    else if (lead.length >= 2) spaces++;
    if (!lead.includes('\t')) widths.push(lead.length);
  }
  if (tabs >= 3 * spaces && tabs > 0) return { insertSpaces: false, indentSize: DEFAULT_UNIT };
  if (spaces >= 3 * tabs && spaces > 0) return { insertSpaces: true, indentSize: levelWidth(widths) ?? DEFAULT_UNIT };
  return undefined;
}

/** `text` (the answer at the cursor) with its indentation in `style`; unchanged when it already is, or unclear. */
export function reindent(text: string, cursor: Cursor, style: IndentStyle | undefined): string {
  // A recipe line must start with a tab, and a tab elsewhere makes a line a recipe: never guessed at.
  if (!style || cursor.languageId === 'makefile') return text;
  const lines = text.split('\n');
  const code = codeLines(lines, cursor);
  // A first line after the cursor line's indentation is measured from there: it says nothing of
  // the answer's style (a chat model may repeat the cursor's), though it is converted with the rest.
  const measured = code.filter((i) => i > 0 || cursor.lineBefore === '');
  const widths = measured.map((i) => leadOf(lines[i] ?? '').length);
  const leads = measured.map((i) => leadOf(lines[i] ?? '')).filter((lead) => lead !== '');
  if (leads.length === 0) return text;
  const convert = style.insertSpaces ? tabsToSpaces(leads, style.indentSize) : spacesToTabs(leads, widths);
  if (!convert) return text;
  for (const i of code) {
    const line = lines[i] ?? '';
    const lead = leadOf(line);
    if (lead) lines[i] = convert(lead) + line.slice(lead.length);
  }
  return lines.join('\n');
}

/**
 * The lines of code on lines of their own: not blank, not the first when it goes on after text on
 * the cursor line, not one that starts inside a string spanning lines.
 */
function codeLines(lines: readonly string[], cursor: Cursor): number[] {
  const code: number[] = [];
  let state = cursor.state;
  for (const [i, line] of lines.entries()) {
    const ownLine = i > 0 || cursor.lineBefore.trim() === '';
    if (ownLine && state.mode !== 'string' && line.trim() !== '') code.push(i);
    if (i < lines.length - 1) state = scanCode(`${line}\n`, cursor.syntax, state);
  }
  return code;
}

/**
 * For a tab-indented document: every indented line uses spaces alone, one at least a whole number
 * of levels (`widths`, the code lines' indentation, unindented ones too, give the level). A level
 * becomes a tab; what is left over (` * ` under `/**`) stays as spaces.
 */
function spacesToTabs(leads: readonly string[], widths: readonly number[]): ((lead: string) => string) | undefined {
  if (leads.some((lead) => lead.includes('\t'))) return undefined;
  const unit = levelWidth(widths) ?? DEFAULT_UNIT;
  if (!leads.some((lead) => lead.length >= unit && lead.length % unit === 0)) return undefined;
  return (lead) =>
    /^ +$/.test(lead) ? '\t'.repeat(Math.floor(lead.length / unit)) + ' '.repeat(lead.length % unit) : lead;
}

/** For a space-indented document: lines indented with tabs (alignment spaces after them allowed). */
function tabsToSpaces(leads: readonly string[], indentSize: number): ((lead: string) => string) | undefined {
  const tabbed = /^\t* *$/;
  if (!leads.some((lead) => lead.includes('\t')) || !leads.every((lead) => tabbed.test(lead))) return undefined;
  const unit = indentSize > 0 ? indentSize : DEFAULT_UNIT;
  return (lead) => (tabbed.test(lead) ? lead.replace(/\t/g, ' '.repeat(unit)) : lead);
}

/**
 * The width of one level in lines indented with spaces: the most frequent step between one
 * indented line and the next (as VS Code guesses a file's indentation), from 2 to 8 columns;
 * undefined when no two lines differ by such a step. A tie goes to the smaller step.
 */
function levelWidth(widths: readonly number[]): number | undefined {
  const steps = new Map<number, number>();
  for (let i = 1; i < widths.length; i++) {
    const step = Math.abs((widths[i] ?? 0) - (widths[i - 1] ?? 0));
    if (step >= 2 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  let best: number | undefined;
  for (const [step, count] of steps) {
    const bestCount = best === undefined ? 0 : (steps.get(best) ?? 0);
    if (count > bestCount || (count === bestCount && best !== undefined && step < best)) best = step;
  }
  return best;
}

function leadOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}
