import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The dashboard's stylesheet, read as rules: each selector with its declarations (later ones win).
const CSS = readFileSync(join(__dirname, '../../../media/dashboard.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const rules = new Map<string, Map<string, string>>();
for (const [, selectors, body] of CSS.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
  for (const selector of selectors!.split(',').map((text) => text.trim().replace(/\s+/g, ' '))) {
    const declarations = rules.get(selector) ?? new Map<string, string>();
    for (const declaration of body!.split(';')) {
      const colon = declaration.indexOf(':');
      if (colon > 0) declarations.set(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
    }
    rules.set(selector, declarations);
  }
}
const style = (selector: string, property: string) => rules.get(selector)?.get(property);

describe('dashboard tables in a narrow view', () => {
  it('column headings wrap, so a heading such as "Kept after 30 s" does not widen the table past the view', () => {
    assert.equal(style('thead th', 'white-space'), 'normal');
  });

  it('a table still wider than the view scrolls inside its own box, never the page', () => {
    assert.equal(style('.table-wrap', 'overflow-x'), 'auto');
  });

  it('a table cut at an edge shows it: a shadow on the side with more to scroll to', () => {
    // Covers that scroll with the content ("local") hide the shadows ("scroll") at an end reached,
    // so a shadow shows only where columns are out of sight (a hidden scrollbar gives no hint).
    const background = style('.table-wrap', 'background') ?? '';
    assert.match(background, /\blocal\b/);
    assert.match(background, /\bscroll\b/);
    assert.match(background, /--vscode-scrollbar-shadow/);
  });
});
