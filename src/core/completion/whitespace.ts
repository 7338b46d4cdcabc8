/**
 * Whitespace helpers shared by the post-processing steps: model text and editor text are compared
 * with line endings, indentation or all spaces set aside, since models re-indent what they write.
 */

export function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Width of a line's leading whitespace, a tab counting as four columns. */
export function indentWidth(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
}

export function nonSpace(text: string): string {
  return text.replace(/\s+/g, '');
}
