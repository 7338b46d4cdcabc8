import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSwitchboard, eventually } from './helpers';

describe('inline completion provider', () => {
  it('answers for a real document with the emulator completion at the cursor, and records it in the ledger', async () => {
    const { inlineCompletionProvider, meter } = await activateSwitchboard();
    await eventually(() => meter.ready, (ready) => ready, 'the usage ledger to open');
    const before = meter.today('emulator')?.requests ?? 0;
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'function add(a, b) {\n}\n' });
    const position = new vscode.Position(0, 'function add(a, b) {'.length);
    const source = new vscode.CancellationTokenSource();
    const items = (await inlineCompletionProvider.provideInlineCompletionItems(
      document,
      position,
      { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined },
      source.token,
    )) as vscode.InlineCompletionItem[] | undefined;
    assert.ok(items && items.length > 0, 'the provider returned an item');
    const [item] = items;
    assert.equal(item?.insertText, '\n  return a + b;');
    assert.ok(item?.range?.start.isEqual(position), 'the item starts at the cursor');
    const today = meter.today('emulator');
    assert.equal(today?.requests, before + 1, 'one completion request recorded');
    assert.ok((today?.costMicros ?? 0) > 0, 'priced from the configured price');
    assert.equal(today?.unpricedRequests, 0);
  });
});
