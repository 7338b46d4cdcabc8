import * as vscode from 'vscode';
import { skipReason, type RequestPolicy, type SkipReason } from '../core/completion/requestPolicy';

/**
 * The walkthrough's "try it" sample: the cursor rests where a block is due, so ghost text comes at
 * the pause with nothing typed. VS Code asks for inline completions only after an edit or on
 * request, so the request is made here (once, for this one cursor position).
 */
export const SAMPLE = [
  '// Switchboard sample. The cursor waits inside the function below: pause, and the body appears',
  '// as ghost text. Tab accepts it, Escape dismisses it. Nothing here is saved unless you save it.',
  'function isPrime(n) {',
  '  ',
  '}',
  '',
].join('\n');

/** Line and column of the cursor in {@link SAMPLE}: the indented empty line in the body. */
const CURSOR = new vscode.Position(3, 2);

/** What keeps ghost text from the sample (an untitled JavaScript buffer) with a backend ready, and the way back. */
const HELD_BACK: Partial<Record<SkipReason, string>> = {
  disabled: 'inline completion is off. "Switchboard: Toggle Inline Completion" turns it on',
  snoozed: 'inline completion is snoozed. "Switchboard: Snooze Inline Completion…" resumes it',
  language:
    'inline completion is off for JavaScript. "Switchboard: Toggle Inline Completion for This Language", run in the sample, turns it on',
  untitled: 'inline completion is off in untitled buffers (switchboard.completion.inUntitled), and the sample is one',
};

/** Whether the completion backend can answer; when its key is what is missing, which backend it is. */
export type CompletionReadiness = { ready: true } | { ready: false; keyless?: { id: string; name: string } };

/**
 * Opens the sample and asks for a completion; first offers what is missing when no backend can
 * answer (the key of the one chosen, or a backend), and says so when the user's own switches keep
 * ghost text from it (a pause would show nothing).
 */
export async function trySample(
  readiness: () => Promise<CompletionReadiness>,
  policy: () => RequestPolicy,
): Promise<void> {
  const first = await readiness();
  if (!first.ready) {
    if (first.keyless) {
      const choice = await vscode.window.showInformationMessage(
        `Switchboard: ${first.keyless.name} has no API key, so inline completion has no backend to ask.`,
        'Set API Key',
      );
      if (choice) await vscode.commands.executeCommand('switchboard.setApiKey', first.keyless.id);
    } else {
      const choice = await vscode.window.showInformationMessage(
        'Switchboard: inline completion needs a backend first (a local Ollama, or a provider with its key).',
        'Add Provider…',
      );
      if (choice) await vscode.commands.executeCommand('switchboard.addProvider');
    }
    if (!(await readiness()).ready) return;
  }
  const reason = skipReason(
    policy(),
    { text: SAMPLE, offset: SAMPLE.length, languageId: 'javascript', untitled: true },
    Date.now(),
  );
  const heldBack = reason && HELD_BACK[reason];
  if (heldBack)
    void vscode.window.showInformationMessage(`Switchboard: the sample will show no ghost text: ${heldBack}.`);
  const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: SAMPLE });
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  editor.selection = new vscode.Selection(CURSOR, CURSOR);
  editor.revealRange(new vscode.Range(CURSOR, CURSOR));
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
}
