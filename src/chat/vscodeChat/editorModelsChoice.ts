/** The switcher's side of the "VS Code language models" backend: finding it, and choosing its model. */
import * as vscode from 'vscode';
import { findPreset } from '../../core/providers/presets';
import type { ProviderConfig } from '../../core/settings/providerSettings';
import type { DetectedBackend } from '../../backends/detection';
import { editorModelId } from './editorModelMatch';
import { editorChatModels } from './vscodeLmProvider';

/** Asking VS Code for its models wakes their extensions; the switcher does not wait longer than this. */
const LOOKUP_MS = 2_000;

function modelsWithin(ms: number): Promise<vscode.LanguageModelChat[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<vscode.LanguageModelChat[]>((resolve) => (timer = setTimeout(() => resolve([]), ms)));
  return Promise.race([editorChatModels().catch(() => []), late]).finally(() => clearTimeout(timer));
}

/**
 * The editor's models as a "found on this machine" entry, when VS Code offers some and no
 * backend uses them yet. Asked only when the switcher opens: asking activates the extensions
 * that contribute models, which activation must not do.
 */
export async function detectEditorModels(configured: readonly ProviderConfig[]): Promise<DetectedBackend[]> {
  const preset = findPreset('vscode-lm');
  if (!preset || configured.some((config) => config.preset.protocol === 'vscode-lm')) return [];
  const models = await modelsWithin(LOOKUP_MS);
  if (!models.length) return [];
  const names = models.slice(0, 3).map((model) => model.name);
  const more = models.length > names.length ? `, +${models.length - names.length} more` : '';
  return [
    {
      entry: { id: preset.id, preset: preset.id, name: preset.name },
      detail: `${models.length} model${models.length === 1 ? '' : 's'} in VS Code: ${names.join(', ')}${more}`,
    },
  ];
}

/**
 * Which of the editor's models a new "VS Code language models" backend uses: `auto` (the first
 * VS Code offers) or one by `<vendor>/<id>`. Undefined when the user backs out.
 */
export async function chooseEditorModel(): Promise<string | undefined> {
  const models = await modelsWithin(LOOKUP_MS);
  // With nothing to choose from, the connection test that follows says why.
  if (!models.length) return 'auto';
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Any available model', description: 'auto', value: 'auto' },
      ...models.map((model) => ({
        label: model.name,
        description: editorModelId(model),
        detail: `${model.vendor} · ${model.family} · ${model.maxInputTokens.toLocaleString()} input tokens`,
        value: editorModelId(model),
      })),
    ],
    { title: 'Add provider (2/3): which of VS Code’s models?', matchOnDescription: true },
  );
  return picked?.value;
}
