import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat } from '../core/usage/exportUsage';

/**
 * Asks where to save an export, offering today's file name in the home folder: a bare file name
 * would be read as one at the root of the disk, where the dialog would open and, on most
 * machines, the write would be refused. `format` limits the file types offered; without it, the
 * user picks CSV or JSON by the name's extension.
 */
export function askExportTarget(format?: ExportFormat): Thenable<vscode.Uri | undefined> {
  return vscode.window.showSaveDialog({
    title: 'Export Switchboard usage',
    defaultUri: vscode.Uri.file(
      join(homedir(), `switchboard-usage-${new Date().toISOString().slice(0, 10)}.${format ?? 'csv'}`),
    ),
    filters: { ...(format !== 'json' && { CSV: ['csv'] }), ...(format !== 'csv' && { JSON: ['json'] }) },
  });
}
