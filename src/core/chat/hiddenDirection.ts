/**
 * Characters that change the order text is displayed in without being seen themselves (the
 * "Trojan Source" attack, CVE-2021-42574): code holding them can read as a comment and run as code.
 * A model's answer may carry them, by accident or because a prompt asked for it.
 */
const DIRECTION_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Characters that show as nothing in the chat view and do something once the code is used: zero-width
 * characters (a second identifier that looks like the first), control characters other than tab and
 * line breaks (a terminal escape that erases what was shown before it, once pasted into a shell),
 * letters that are blank (Hangul fillers, used for identifiers that look like nothing) and tag
 * characters (text no one sees).
 */
const OTHER_INVISIBLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is what it is for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060-\u2064\u115f\u1160\u3164\uffa0\ufeff\u{e0000}-\u{e007f}]/gu;

/** How many characters that change the display order `code` holds. */
export function hiddenDirectionCount(code: string): number {
  return code.match(DIRECTION_CONTROLS)?.length ?? 0;
}

const some = (count: number) => (count === 1 ? 'an invisible character' : `${count} invisible characters`);

/** The words for a code block that holds hidden characters, or undefined when it holds none. */
export function hiddenDirectionWarning(code: string): string | undefined {
  const direction = hiddenDirectionCount(code);
  const other = code.match(OTHER_INVISIBLE)?.length ?? 0;
  if (direction === 0 && other === 0) return undefined;
  const parts = [
    direction > 0 && `${some(direction)} that change the order text is shown in`,
    other > 0 && `${some(other)} that show as nothing here (zero-width, control or blank characters)`,
  ].filter(Boolean);
  return `This code holds ${parts.join(' and ')}, so it may do something other than what it reads as.`;
}
