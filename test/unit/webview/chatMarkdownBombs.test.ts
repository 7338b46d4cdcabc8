/**
 * A short hostile answer must not cost the chat view minutes or gigabytes: markdown that expands
 * (a table padded to its header's width, one long reference link used thousands of times) and
 * code that highlights in time growing with the square of a line's length. The answer is restored
 * and drawn again each time the view opens, so a freeze there would come back every time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlightCode } from '../../../src/webview/chat/highlight';
import { renderMarkdown } from '../../../src/webview/chat/markdownRenderer';

const count = (html: string, tag: string) => html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;

describe('answers that would expand past what the view can draw', () => {
  it('a table padded far past its own text is shown as its text', () => {
    // 181 header columns, then 362 rows of one cell each: markdown-it pads every row to 181.
    const header = `|${'h|'.repeat(181)}\n|${'-|'.repeat(181)}\n`;
    const bomb = header + 'x\n'.repeat(362);
    const html = renderMarkdown(`${bomb}\n${bomb}`);
    assert.ok(count(html, 'td') < 2 * bomb.length, `${count(html, 'td')} cells from ${bomb.length * 2} characters`);
    assert.ok(html.includes('|h|h|h|'), 'the table text is still there to read');
  });

  it('an ordinary table is still a table', () => {
    const html = renderMarkdown('| model | price |\n|---|---|\n| qwen | $1 |\n| deepseek | $0.28 |\n');
    assert.equal(count(html, 'td'), 4);
    assert.equal(count(html, 'th'), 2);
  });

  it('a long reference link used many times is not copied into the page each time', () => {
    const answer = `[a]: https://example.com/${'p'.repeat(50_000)}\n\n${'[a] '.repeat(30_000)}\n`;
    const html = renderMarkdown(answer);
    assert.ok(html.length < 4 * answer.length, `${html.length} characters of markup from ${answer.length}`);
  });

  it("a link's tooltip shows where it goes, not a title the answer chose", () => {
    const html = renderMarkdown('[api](http://localhost:8080/admin/reset "https://nodejs.org/api/")');
    assert.match(html, /title="http:\/\/localhost:8080\/admin\/reset"/);
    assert.doesNotMatch(html, /title="https:\/\/nodejs\.org/);
  });

  it('a code block with a very long line is shown plain, not highlighted', () => {
    assert.equal(highlightCode(`const a = ${'_'.repeat(40_000)};`, 'ts'), undefined);
    assert.ok(highlightCode('const a = 1;\n'.repeat(2_000), 'ts'), 'long code of ordinary lines is highlighted');
  });
});
