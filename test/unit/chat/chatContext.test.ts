import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  contextItem,
  MAX_CONTEXT_CHARS,
  notAddedNotice,
  userPrompt,
  type ContextItem,
} from '../../../src/core/chat/contextItems';
import { ContextTracker } from '../../../src/core/chat/contextTracker';
import { estimateTokens } from '../../../src/core/providers/usage';

const selection = (id: string, text = 'let total = 0;\nfor (const x of xs) total += x;') =>
  contextItem(id, 'selection:file:///w/src/sum.ts:4', {
    kind: 'selection',
    path: 'src/sum.ts',
    language: 'typescript',
    text,
    startLine: 4,
    endLine: 5,
  });
const file = (id: string, path = 'src/sum.ts', text = 'export function sum(xs: number[]) {\n  return 0;\n}\n') =>
  contextItem(id, `file:file:///w/${path}`, { kind: 'file', path, language: 'typescript', text });

/** What the host does on send: the items of the revision and ids the webview showed. */
function sent(tracker: ContextTracker, question: string): string {
  const { revision, chips } = tracker.snapshot();
  const items = tracker.itemsFor(
    revision,
    chips.map((chip) => chip.id),
  );
  assert.ok(items);
  return userPrompt(question, items);
}

describe('chat context assembly', () => {
  it('never sends an absolute path: a file outside the workspace goes by its file name', () => {
    const item = contextItem('x', 'k', {
      kind: 'file',
      path: '/home/alice/taxes/refund.py',
      language: 'python',
      text: 'x = 1',
    });
    assert.equal(item.block, 'File refund.py:\n```python\nx = 1\n```');
    assert.equal(item.label, 'refund.py');
    const selection = contextItem('y', 'k', {
      kind: 'selection',
      path: 'C:\\Users\\alice\\notes.ts',
      text: 'let a;',
      startLine: 2,
      endLine: 2,
    });
    assert.match(selection.block, /^Selection from notes\.ts, line 2:\n/);
    assert.doesNotMatch(item.description + selection.description, /alice/);
  });

  it('sends a block per item, then the question, each block fenced with its language', () => {
    const items = [selection('a'), file('b')];
    const prompt = userPrompt('Why is the total wrong?', items);
    assert.equal(
      prompt,
      [
        'Selection from src/sum.ts, lines 4-5:',
        '```typescript',
        'let total = 0;',
        'for (const x of xs) total += x;',
        '```',
        '',
        'File src/sum.ts:',
        '```typescript',
        'export function sum(xs: number[]) {',
        '  return 0;',
        '}',
        '```',
        '',
        'Why is the total wrong?',
      ].join('\n'),
    );
    assert.equal(userPrompt('Just a question', []), 'Just a question');
  });

  it("estimates each chip's tokens from exactly the block it sends", () => {
    const item = file('b');
    assert.equal(item.tokens, estimateTokens(item.block));
    assert.ok(userPrompt('q', [item]).includes(item.block));
    assert.equal(item.label, 'sum.ts');
    assert.equal(selection('a').label, 'sum.ts:4-5');
    const oneLine = contextItem('x', 'k', { kind: 'selection', path: 'a.ts', text: 'x', startLine: 3, endLine: 3 });
    assert.equal(oneLine.label, 'a.ts:3');
    assert.ok(oneLine.block.startsWith('Selection from a.ts, line 3:\n'));
    assert.match(item.description, /^File src\/sum\.ts · about \d+ tokens$/);
  });

  it('uses a longer fence when the code itself contains one', () => {
    const item = file('b', 'README.md', 'Run:\n```sh\nnpm test\n```\n');
    assert.ok(item.block.includes('````typescript\nRun:'), item.block);
    assert.ok(item.block.endsWith('\n````'));
  });

  it('truncates a large file at a line end and says so in the prompt and on the chip', () => {
    const line = 'const value = computeSomethingExpensive(input);\n';
    const big = line.repeat(Math.ceil((MAX_CONTEXT_CHARS * 2) / line.length));
    const item = file('b', 'src/big.ts', big);
    assert.equal(item.truncated, true);
    assert.ok(item.block.length < MAX_CONTEXT_CHARS + 500, 'the block stays near the limit');
    const totalLines = big.split('\n').length;
    assert.match(
      item.block,
      new RegExp(
        `\\n\`\`\`\\n\\[Truncated: only the first [\\d,]+ of ${totalLines.toLocaleString('en-US')} lines are included\\.\\]$`,
      ),
    );
    assert.ok(!item.block.includes('computeSomethingExpensive(inp\n'), 'no line is cut in half');
    assert.match(item.description, /Truncated/);
    assert.equal(file('c').truncated, false);
  });

  it('what is sent equals the chips shown: the selection and current file by default', () => {
    const tracker = new ContextTracker();
    tracker.setDefaults([selection('a'), file('b')]);
    const { chips, totalTokens, totalText } = tracker.snapshot();
    assert.deepEqual(
      chips.map((chip) => chip.label),
      ['sum.ts:4-5', 'sum.ts'],
    );
    const prompt = sent(tracker, 'q');
    assert.ok(prompt.includes('Selection from src/sum.ts') && prompt.includes('File src/sum.ts:'));
    assert.equal(
      totalTokens,
      estimateTokens(prompt.slice(0, -'q'.length)),
      'the total is the estimate of what is sent',
    );
    assert.equal(totalText, `≈ ${totalTokens} tokens of context`);
  });

  it('removing a chip removes it from the prompt, and it stays removed while the editor offers the same', () => {
    const tracker = new ContextTracker();
    tracker.setDefaults([selection('a'), file('b')]);
    assert.equal(tracker.remove('b'), true);
    assert.deepEqual(
      tracker.snapshot().chips.map((chip) => chip.id),
      ['a'],
    );
    assert.ok(!sent(tracker, 'q').includes('File src/sum.ts:'));
    // The editor reports the same file again (the cursor moved): still removed.
    tracker.setDefaults([selection('c'), file('d')]);
    assert.deepEqual(
      tracker.snapshot().chips.map((chip) => chip.label),
      ['sum.ts:4-5'],
    );
    // Another file: the removal is forgotten, so coming back offers it again.
    tracker.setDefaults([file('e', 'src/other.ts')]);
    tracker.setDefaults([file('f')]);
    assert.deepEqual(
      tracker.snapshot().chips.map((chip) => chip.label),
      ['sum.ts'],
    );
    assert.equal(tracker.remove('nope'), false);
  });

  it('sends the revision the webview showed, even after the editor moved on', () => {
    const tracker = new ContextTracker();
    tracker.setDefaults([file('b')]);
    const shown = tracker.snapshot();
    tracker.setDefaults([file('z', 'src/elsewhere.ts')]);
    const items = tracker.itemsFor(shown.revision, ['b']);
    assert.deepEqual(
      items?.map((item) => item.id),
      ['b'],
    );
    assert.equal(tracker.itemsFor(shown.revision, ['z']), undefined, 'an id not shown in that revision is refused');
    assert.equal(tracker.itemsFor(999, []), undefined, 'an unknown revision is refused');
    assert.deepEqual(tracker.itemsFor(shown.revision, []), [], 'every chip removed: nothing is sent');
  });

  it('adds picked files once, and drops them after sending while keeping the defaults', () => {
    const tracker = new ContextTracker();
    tracker.setDefaults([file('b')]);
    tracker.add([file('p1', 'src/a.ts'), file('p2', 'src/a.ts'), file('p3', 'src/b.ts')]);
    assert.deepEqual(
      tracker.snapshot().chips.map((chip) => chip.label),
      ['sum.ts', 'a.ts', 'b.ts'],
    );
    tracker.add([file('dup')]);
    assert.equal(
      tracker.snapshot().chips.length,
      3,
      'a picked file already shown as the current file is not shown twice',
    );
    tracker.clearPicked();
    assert.deepEqual(
      tracker.snapshot().chips.map((chip) => chip.label),
      ['sum.ts'],
    );
  });

  it('bumps the revision on every change, so stale sends are detected', () => {
    const tracker = new ContextTracker();
    const revisions: number[] = [tracker.snapshot().revision];
    const items: ContextItem[] = [file('b')];
    tracker.setDefaults(items);
    revisions.push(tracker.snapshot().revision);
    tracker.remove('b');
    revisions.push(tracker.snapshot().revision);
    assert.deepEqual(revisions, [0, 1, 2]);
  });
});

describe('the notice for picked files that were not added', () => {
  // How VS Code finds a link in a notification's message (notifications.ts, `parseLinks`).
  const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

  it("names each file as text: a repository's file name never becomes a command link or an icon", () => {
    const crafted = 'docs/[Fix the build](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22sh%22%7D)';
    const notice = notAddedNotice([crafted, 'logo.png'], ['$(check) vendor/linked']) ?? '';
    assert.equal(notice.match(NOTIFICATION_LINK), null, notice);
    assert.equal(notice.includes('$('), false, notice);
    assert.match(notice, /could not read docs\/\[Fix the build\] \(command:.*, logo\.png as text\./);
    assert.match(notice, /did not add \$ \(check\) vendor\/linked: a link leads outside the workspace\./);
    assert.equal(notAddedNotice([], []), undefined);
  });
});
