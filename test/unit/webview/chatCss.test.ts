import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stylesheet } from './stylesheet';

const style = stylesheet('chat-markdown.css');

describe('chat code blocks in every theme', () => {
  it("a code block's code has no background of its own, so no token is drawn on a box of its own colour", () => {
    // VS Code's webview page gives every <code> the inline-code background (textPreformat). Under
    // a block's highlighted tokens it showed as a box behind each line, and in the high-contrast
    // themes, where it is white (dark) or dark blue (light), keywords in the same colour vanished.
    assert.equal(style('.markdown-body pre > code', 'background'), 'transparent');
  });
});
