/**
 * Characters that change the order text is displayed in without being seen themselves (the
 * "Trojan Source" attack, CVE-2021-42574): code holding them can read as a comment and run as code.
 * A model's answer may carry them, by accident or because a prompt asked for it.
 */
const DIRECTION_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** How many such characters `code` holds. */
export function hiddenDirectionCount(code: string): number {
  return code.match(DIRECTION_CONTROLS)?.length ?? 0;
}

/** The words for a code block that holds them, or undefined when it holds none. */
export function hiddenDirectionWarning(code: string): string | undefined {
  const count = hiddenDirectionCount(code);
  if (count === 0) return undefined;
  return `This code holds ${count === 1 ? 'an invisible character' : `${count} invisible characters`} that change the order text is shown in, so it may do something other than what it reads as.`;
}
