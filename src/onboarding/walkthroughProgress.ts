import * as vscode from 'vscode';
import type { Backends } from '../backends/backends';

/**
 * The context keys the walkthrough's steps complete on (see `completionEvents` in package.json):
 * a step is ticked when what it teaches was done, not when its button was pressed and given up on.
 */
export const WALKTHROUGH_CONTEXT = {
  /** A backend serves completion or chat. */
  backendChosen: 'switchboard.walkthrough.backendChosen',
  /** A backend in use can answer: its key is stored, or it takes none. */
  keyReady: 'switchboard.walkthrough.keyReady',
  /** Ghost text was offered at least once in this window. */
  ghostTextShown: 'switchboard.walkthrough.ghostTextShown',
} as const;

/**
 * How long after activation the keys start to be told. VS Code ticks a step when its key turns true
 * after the walkthrough is registered; a key already true then never ticks in that window. It
 * registers an extension's walkthrough once an experiment service answers, or 5 s after start-up.
 */
const REGISTERED_MS = 10_000;

const setContext = (key: string, value: boolean) => vscode.commands.executeCommand('setContext', key, value);

/**
 * Keeps the walkthrough's context keys up to date with the backends, their keys and the ghost text
 * offered, from {@link REGISTERED_MS} after activation on; returns the subscription and a function
 * to call when ghost text is offered.
 */
export function watchWalkthroughProgress(backends: Backends): { disposable: vscode.Disposable; offered: () => void } {
  let registered = false;
  let shown = false;
  let generation = 0;
  const update = async () => {
    if (!registered) return;
    const mine = ++generation;
    const inUse = [backends.configFor('completion'), backends.configFor('chat')].filter((config) => config);
    const ready = (await Promise.all(inUse.map((config) => config && backends.isReady(config)))).some(Boolean);
    // A later change may have finished first: only the latest look is told.
    if (mine !== generation) return;
    await setContext(WALKTHROUGH_CONTEXT.backendChosen, inUse.length > 0);
    await setContext(WALKTHROUGH_CONTEXT.keyReady, ready);
    if (shown) await setContext(WALKTHROUGH_CONTEXT.ghostTextShown, true);
  };
  const refresh = () => void update().catch(() => undefined);
  const timer = setTimeout(() => {
    registered = true;
    refresh();
  }, REGISTERED_MS);
  return {
    disposable: vscode.Disposable.from(backends.onDidChange(refresh), { dispose: () => clearTimeout(timer) }),
    offered: () => {
      if (shown) return;
      shown = true;
      refresh();
    },
  };
}
