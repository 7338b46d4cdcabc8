/**
 * Which buttons a notification can show whole. VS Code draws a notification's buttons on one row
 * of a 450 px toast and cuts every label short with an ellipsis once they do not fit ("Switch to
 * Oll…", "Pic…"), so a button the user cannot read is left out instead, least important first.
 */

/** The row's width for buttons in VS Code's toast (450 px less its padding), in pixels. */
const ROW_PX = 428;
/** A button's padding and margin around its label. */
const BUTTON_PX = 30;
/** A generous average character width of the workbench's 13 px UI font (Linux's is the widest). */
const CHAR_PX = 6.6;

function widthOf(label: string): number {
  return BUTTON_PX + label.length * CHAR_PX;
}

/**
 * The buttons that fit, in the order given. `byImportance` ranks every label of `buttons`, most
 * important first; the least important are left out until the rest fit. The most important is
 * always kept.
 */
export function buttonsThatFit(buttons: readonly string[], byImportance: readonly string[] = buttons): string[] {
  const ranked = [...byImportance.filter((label) => buttons.includes(label))];
  for (const label of buttons) if (!ranked.includes(label)) ranked.push(label);
  const kept = new Set<string>();
  let used = 0;
  for (const label of ranked) {
    const width = widthOf(label);
    if (kept.size > 0 && used + width > ROW_PX) continue;
    kept.add(label);
    used += width;
  }
  return buttons.filter((label) => kept.has(label));
}
