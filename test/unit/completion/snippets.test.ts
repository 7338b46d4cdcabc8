import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectSnippets } from '../../../src/core/completion/snippets';
import { estimateTokens } from '../../../src/core/providers/usage';

/** `count` lines of code that share no identifier with the cart code below. */
function filler(count: number, tag: string): string {
  return Array.from({ length: count }, (_, i) => `  renderWidget${tag}${i}(canvasNode, paletteColour);`).join('\n');
}

const CART_CODE = [
  'function applyDiscount(cartTotal, discountRate) {',
  '  const lineItems = cartTotal.lineItems;',
  '  return lineItems.reduce((sum, item) => sum + item.price, 0) * (1 - discountRate);',
  '}',
].join('\n');

const QUERY = 'const cartTotal = loadCart();\nconst discounted = applyDiscount(cartTotal, discountRate);\n';

const options = { maxSnippets: 3, maxLinesPerSnippet: 20, tokenBudget: 1_000 };

describe('selectSnippets', () => {
  it('prefers the window sharing identifiers with the query, inside a long file', () => {
    const cart = { path: 'src/cart.ts', text: `${filler(60, 'A')}\n${CART_CODE}\n${filler(60, 'B')}` };
    const unrelated = { path: 'src/zoo.ts', text: 'const cartTotal = 0;\n' + filler(10, 'C') };
    const chosen = selectSnippets([unrelated, cart], QUERY, { ...options, maxSnippets: 1 });
    assert.equal(chosen.length, 1);
    assert.equal(chosen[0]?.path, 'src/cart.ts');
    assert.ok(chosen[0]?.text.includes(CART_CODE), 'the window holding applyDiscount, not the first lines of the file');
  });

  it('never chooses a window with nothing in common, and keywords alone do not count', () => {
    const keywordsOnly = { path: 'k.ts', text: 'export const x = 1;\nfunction f() { return this; }\n' };
    const nothing = { path: 'n.ts', text: filler(30, 'N') };
    assert.deepEqual(selectSnippets([keywordsOnly, nothing], QUERY, options), []);
    // The same candidates are chosen as soon as one real identifier is shared.
    const sharing = { path: 's.ts', text: 'export const cartTotal = 1;\n' };
    assert.deepEqual(selectSnippets([keywordsOnly, nothing, sharing], QUERY, options), [
      { path: 's.ts', text: 'export const cartTotal = 1;' },
    ]);
  });

  it('orders from least to most relevant, so the best lands next to the cursor', () => {
    const weak = { path: 'a.ts', text: 'cartTotal(widgetOne, widgetTwo, widgetThree)' };
    const middle = { path: 'b.ts', text: 'cartTotal(discountRate, widgetOne)' };
    const strong = { path: 'c.ts', text: 'applyDiscount(cartTotal, discountRate)' };
    const chosen = selectSnippets([strong, weak, middle], QUERY, options);
    assert.deepEqual(
      chosen.map((s) => s.path),
      ['a.ts', 'b.ts', 'c.ts'],
    );
  });

  it('keeps the summed token estimate within the budget and the count within maxSnippets', () => {
    const candidates = Array.from({ length: 8 }, (_, i) => ({
      path: `f${i}.ts`,
      text: `${CART_CODE}\n// variant ${i}\n${filler(30, `V${i}`)}`,
    }));
    const one = estimateTokens(selectSnippets(candidates, QUERY, { ...options, maxSnippets: 1 })[0]?.text ?? '');
    assert.ok(one > 0);
    const budget = one * 2 + 1;
    const chosen = selectSnippets(candidates, QUERY, { ...options, maxSnippets: 8, tokenBudget: budget });
    const used = chosen.reduce((sum, s) => sum + estimateTokens(s.text), 0);
    assert.ok(used <= budget, `${used} tokens over a budget of ${budget}`);
    assert.equal(chosen.length, 2, 'room for exactly two windows');
    assert.equal(selectSnippets(candidates, QUERY, { ...options, maxSnippets: 8, tokenBudget: 100_000 }).length, 8);
    assert.equal(selectSnippets(candidates, QUERY, { ...options, maxSnippets: 2, tokenBudget: 100_000 }).length, 2);
    assert.deepEqual(selectSnippets(candidates, QUERY, { ...options, tokenBudget: 0 }), []);
  });

  it('takes at most one window per file, each at most maxLinesPerSnippet lines', () => {
    const repeated = {
      path: 'r.ts',
      text: Array.from({ length: 6 }, () => `${CART_CODE}\n${filler(20, 'R')}`).join('\n'),
    };
    const chosen = selectSnippets([repeated], QUERY, { ...options, maxLinesPerSnippet: 10 });
    assert.equal(chosen.length, 1);
    assert.ok((chosen[0]?.text.split('\n').length ?? 0) <= 10);
  });

  it('slides windows by half, so code across a window edge is still seen whole', () => {
    // Lines 6-9 with 8-line windows: cut only at 0/8/16, each half would sit in a different window.
    const block = [
      'const cartTotal = loadCart();',
      'refreshTotals(cartTotal);',
      'const discounted = applyDiscount(cartTotal, discountRate);',
      'logDiscount(discounted);',
    ].join('\n');
    const text = [filler(6, 'P'), block, filler(20, 'Q')].join('\n');
    const chosen = selectSnippets([{ path: 'edge.ts', text }], QUERY, { ...options, maxLinesPerSnippet: 8 });
    assert.ok(chosen[0]?.text.includes(block), chosen[0]?.text);
  });

  it('breaks ties by path then line, whatever the input order', () => {
    const twin = (path: string) => ({ path, text: `${CART_CODE}\n` });
    const forward = selectSnippets([twin('a/x.ts'), twin('b/x.ts')], QUERY, { ...options, maxSnippets: 1 });
    const backward = selectSnippets([twin('b/x.ts'), twin('a/x.ts')], QUERY, { ...options, maxSnippets: 1 });
    assert.deepEqual(forward, backward);
    assert.equal(forward[0]?.path, 'a/x.ts');
    // A window repeated in two files is offered once.
    assert.equal(selectSnippets([twin('b/x.ts'), twin('a/x.ts')], QUERY, options).length, 1);
  });

  it('passes over excluded windows to the next best', () => {
    const cart = { path: 'cart.ts', text: CART_CODE };
    const other = { path: 'other.ts', text: 'cartTotal.refresh();' };
    const chosen = selectSnippets([cart, other], QUERY, { ...options, exclude: (t) => t.includes('applyDiscount') });
    assert.deepEqual(chosen, [other]);
  });

  it('sees a changed file under the same path (the tokenisation cache is keyed by text too)', () => {
    const before = { path: 'moving.ts', text: `${CART_CODE}\n${filler(40, 'M')}` };
    const after = { path: 'moving.ts', text: `${filler(40, 'M')}\n${CART_CODE}` };
    assert.ok(selectSnippets([before], QUERY, options)[0]?.text.startsWith('function applyDiscount'));
    const moved = selectSnippets([after], QUERY, options)[0]?.text ?? '';
    assert.ok(moved.endsWith(CART_CODE.split('\n').at(-1) ?? '?'), moved);
    assert.ok(moved.includes('renderWidgetM39'), 'the window now sits at the end of the file');
  });

  it('finds the one related window among ten files of 2,000 lines', () => {
    const big = Array.from({ length: 10 }, (_, i) => ({ path: `big${i}.ts`, text: filler(2_000, `G${i}x`) }));
    const needle = { path: 'big7.ts', text: `${filler(1_500, 'H')}\n${CART_CODE}\n${filler(500, 'I')}` };
    big[7] = needle;
    const chosen = selectSnippets(big, QUERY, options);
    assert.equal(chosen.length, 1);
    assert.equal(chosen[0]?.path, 'big7.ts');
    assert.ok(chosen[0]?.text.includes(CART_CODE));
  });
});

describe('selectSnippets windowQuery', () => {
  it('ranks files by the query but shows the window the steadier windowQuery picks', () => {
    const widgets = filler(40, 'W');
    const cart = { path: 'src/cart.ts', text: `${CART_CODE}\n${filler(60, 'A')}\n${widgets}` };
    const unrelated = { path: 'src/zoo.ts', text: 'export const zebraStall = feedZebra();\n' };
    const steady = 'renderWidgetW3(canvasNode, paletteColour);\n';
    const chosen = selectSnippets([unrelated, cart], QUERY, { ...options, maxSnippets: 1, windowQuery: steady });
    assert.deepEqual(
      chosen.map((s) => s.path),
      ['src/cart.ts'],
      'the query still decides which file',
    );
    assert.ok(chosen[0]?.text.includes('renderWidgetW3'), 'the window is the one windowQuery matches');
    assert.ok(!chosen[0]?.text.includes('applyDiscount'));
    const fresh = selectSnippets([unrelated, cart], QUERY, { ...options, maxSnippets: 1 });
    assert.ok(fresh[0]?.text.includes('applyDiscount'), 'without it, the query picks the window');
  });
});
