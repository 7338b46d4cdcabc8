import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stylesheet under media/, read as rules: each selector with its declarations (later ones win).
 * Returns a lookup of one property of one selector, as written.
 */
export function stylesheet(name: string): (selector: string, property: string) => string | undefined {
  const css = readFileSync(join(__dirname, '../../../media', name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const rules = new Map<string, Map<string, string>>();
  for (const [, selectors, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    for (const selector of selectors!.split(',').map((text) => text.trim().replace(/\s+/g, ' '))) {
      const declarations = rules.get(selector) ?? new Map<string, string>();
      for (const declaration of body!.split(';')) {
        const colon = declaration.indexOf(':');
        if (colon > 0) declarations.set(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
      }
      rules.set(selector, declarations);
    }
  }
  return (selector, property) => rules.get(selector)?.get(property);
}
