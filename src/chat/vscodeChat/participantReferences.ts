import * as vscode from 'vscode';
import { contextItem, type ContextItem } from '../../core/chat/contextItems';
import { MAX_PICKED } from '../../core/chat/contextTracker';
import { CompletionExclude } from '../../completion/completionExclude';
import { readContextFile } from '../contextFile';

/**
 * VS Code's chat attaches the editor in front by itself ("implicit context"), under these ids:
 * `vscode.implicit.file`, `.selection` or `.viewport` (1.100 and 1.104 alike).
 */
const IMPLICIT_PREFIX = 'vscode.implicit';

/**
 * The context the user attached to an `@switchboard` question in VS Code's chat (`#file`, a
 * selection, "Add Context…", a dropped file), as the blocks the Switchboard chat view sends: the
 * same headings, fences and size cap. What could not be read is named, never silently dropped.
 * A file that may hold secrets (`switchboard.completion.exclude`) goes only when the user attached
 * it, never because it was the editor in front, as in the chat view, where it is never a chip by itself.
 */
export async function referenceItems(
  references: readonly vscode.ChatPromptReference[],
): Promise<{ items: ContextItem[]; skipped: string[]; excluded: string[] }> {
  const items: ContextItem[] = [];
  const skipped: string[] = [];
  const excluded: string[] = [];
  const exclude = new CompletionExclude();
  try {
    for (const [index, reference] of references.entries()) {
      if (index >= MAX_PICKED) {
        skipped.push(`${references.length - MAX_PICKED} more`);
        break;
      }
      const { value } = reference;
      const target =
        value instanceof vscode.Uri
          ? { uri: value }
          : value instanceof vscode.Location
            ? { uri: value.uri, range: value.range }
            : undefined;
      if (!target) {
        // A variable another extension resolves to its own value: not a file Switchboard can read.
        skipped.push(reference.id);
        continue;
      }
      if (reference.id.startsWith(IMPLICIT_PREFIX) && (await exclude.excludedByTarget(target.uri)) !== undefined) {
        excluded.push(vscode.workspace.asRelativePath(target.uri, false));
        continue;
      }
      const read = await readContextFile(target.uri, target.range);
      if ('source' in read) items.push(contextItem(`ref-${index}`, target.uri.toString(), read.source));
      else skipped.push(vscode.workspace.asRelativePath(target.uri, false));
    }
  } finally {
    exclude.dispose();
  }
  return { items, skipped, excluded };
}
