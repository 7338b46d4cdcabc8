import * as vscode from 'vscode';

/**
 * The user's answer to "send your key over plain http to that server?", asked once per origin.
 * A yes is remembered across sessions (global state, never settings, so a repository cannot
 * pre-answer it); a no lasts for this session, so a completion on every keystroke does not ask again.
 */
const STATE_KEY = 'switchboard.plainHttpKeyOrigins';

let memento: vscode.Memento | undefined;
const refused = new Set<string>();
const pending = new Map<string, Promise<boolean>>();

export function initPlainHttpConsent(state: vscode.Memento): void {
  memento = state;
}

function allowedOrigins(): string[] {
  const stored = memento?.get<unknown>(STATE_KEY);
  return Array.isArray(stored) ? stored.filter((origin): origin is string => typeof origin === 'string') : [];
}

/** Whether the user already said yes for this origin; never asks (for background calls). */
export function plainHttpAllowed(origin: string): Promise<boolean> {
  return Promise.resolve(allowedOrigins().includes(origin));
}

/** Asks once per origin, in a modal dialog, whether the key for `backendName` may go there over http. */
export function askPlainHttpKey(origin: string, backendName: string): Promise<boolean> {
  if (allowedOrigins().includes(origin)) return Promise.resolve(true);
  if (refused.has(origin)) return Promise.resolve(false);
  let answer = pending.get(origin);
  if (!answer) {
    answer = (async () => {
      const send = 'Send Over HTTP';
      const choice = await vscode.window.showWarningMessage(
        `Send the API key for ${backendName} to ${origin} over plain HTTP?`,
        {
          modal: true,
          detail:
            'That server is not this machine, and anyone on the network path can read a key sent without https. Switchboard remembers a yes for this server; with a no, nothing is sent.',
        },
        send,
      );
      if (choice === send) await memento?.update(STATE_KEY, [...allowedOrigins(), origin]);
      else refused.add(origin);
      return choice === send;
    })().finally(() => pending.delete(origin));
    pending.set(origin, answer);
  }
  return answer;
}
