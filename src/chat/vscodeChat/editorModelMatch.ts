/**
 * How a "VS Code language models" backend's `chatModel` names one of the editor's models. Plain
 * data in, so it is tested without an editor.
 */

/** The fields of a `vscode.LanguageModelChat` that name it. */
export interface NamedModel {
  readonly vendor: string;
  readonly id: string;
  readonly family: string;
}

/** Switchboard's own vendor in `vscode.lm` (see lmChatProvider.ts): never a model to route to. */
export const SWITCHBOARD_VENDOR = 'switchboard';

/** `copilot/gpt-4.1`: how a model is named in `chatModel` and in the model lists. */
export function editorModelId(model: NamedModel): string {
  return `${model.vendor}/${model.id}`;
}

/** Every model but Switchboard's own, so a request can never go round from Switchboard to VS Code and back. */
export function withoutSwitchboard<T extends NamedModel>(models: readonly T[]): T[] {
  return models.filter((model) => model.vendor !== SWITCHBOARD_VENDOR);
}

/**
 * The model a `chatModel` setting names: `auto` (the first VS Code offers), a vendor (`copilot`),
 * or `<vendor>/<model id or family>` (`copilot/gpt-4.1`); a bare model id or family also matches.
 */
export function matchEditorModel<T extends NamedModel>(models: readonly T[], wanted: string): T | undefined {
  if (wanted === 'auto' || wanted === '') return models[0];
  const slash = wanted.indexOf('/');
  if (slash > 0) {
    const vendor = wanted.slice(0, slash);
    const name = wanted.slice(slash + 1);
    const ofVendor = models.filter((model) => model.vendor === vendor);
    const found = ofVendor.find((model) => model.id === name) ?? ofVendor.find((model) => model.family === name);
    if (found) return found;
  }
  // Model ids may contain a slash themselves (`openrouter/qwen/qwen3-coder`), so the whole text is tried too.
  return (
    models.find((model) => model.id === wanted) ??
    models.find((model) => model.family === wanted) ??
    models.find((model) => model.vendor === wanted)
  );
}
