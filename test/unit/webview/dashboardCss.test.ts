import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stylesheet } from './stylesheet';

const style = stylesheet('dashboard.css');

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
