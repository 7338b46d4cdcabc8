import * as vscode from 'vscode';
import { contextItem, type ContextItem } from '../../core/chat/contextItems';
import { MAX_PICKED } from '../../core/chat/contextTracker';
import { readContextFile } from '../contextFile';

/**
 * The context the user attached to an `@switchboard` question in VS Code's chat (`#file`, a
 * selection, "Add Context…", a dropped file), as the blocks the Switchboard chat view sends: the
 * same headings, fences and size cap. What could not be read is named, never silently dropped.
 */
export async function referenceItems(
  references: readonly vscode.ChatPromptReference[],
): Promise<{ items: ContextItem[]; skipped: string[] }> {
  const items: ContextItem[] = [];
  const skipped: string[] = [];
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
    const read = await readContextFile(target.uri, target.range);
    if ('source' in read) items.push(contextItem(`ref-${index}`, target.uri.toString(), read.source));
    else skipped.push(vscode.workspace.asRelativePath(target.uri, false));
  }
  return { items, skipped };
}
