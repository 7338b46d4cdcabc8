/**
 * Turns as the webview draws them: every word and figure decided here, so the page only places
 * text. Actions are offered on the last answer only, since retrying means asking it again.
 */
import type { AnswerStatus, ContextRef, Turn } from './conversation';
import { explainFailure, type FailureAction } from './explainFailure';
import { usageLine } from './usageText';

/** A backend to offer in place of the one that failed, best first (see `rankAlternatives`). */
export interface Alternative {
  id: string;
  name: string;
  /** Found on this machine and not configured yet: the full picker lists it, a one-click switch cannot take it. */
  found?: boolean;
}

export type ActionView =
  | { kind: 'retry'; label: string }
  | { kind: 'switch'; providerId: string; label: string }
  /** Opens the full backend picker ("Switchboard: Switch Provider"). */
  | { kind: 'pick'; label: string }
  /** Opens "Add Provider…"; the backend added becomes the chat backend and the question is asked again. */
  | { kind: 'add'; label: string }
  | { kind: 'set-key'; providerId: string; label: string }
  | { kind: 'new-chat'; label: string };

export interface ErrorView {
  headline: string;
  detail: string;
  resets?: string;
  /** The backend's own message, for the curious and for support. */
  backendMessage?: string;
  actions: ActionView[];
}

export type TurnView =
  | { role: 'user'; id: string; text: string; context: ContextRef[] }
  | {
      role: 'assistant';
      id: string;
      text: string;
      status: AnswerStatus;
      /** "Qwen · qwen3-coder-plus" */
      source?: string;
      usage?: string;
      error?: ErrorView;
    };

export interface TurnViewOptions {
  now: number;
  /** Whether this answer is the conversation's last and nothing is streaming: only then are actions offered. */
  actionable: boolean;
  alternatives: readonly Alternative[];
}

function actionsFor(
  actions: readonly FailureAction[],
  providerId: string | undefined,
  backendName: string,
  alternatives: readonly Alternative[],
): ActionView[] {
  const views: ActionView[] = [];
  for (const action of actions) {
    switch (action) {
      case 'retry':
        views.push({ kind: 'retry', label: 'Retry' });
        break;
      case 'switch': {
        const others = alternatives.filter((candidate) => candidate.id !== providerId);
        for (const alternative of others.filter((candidate) => !candidate.found)) {
          views.push({ kind: 'switch', providerId: alternative.id, label: `Switch to ${alternative.name} and retry` });
        }
        // With nothing else to choose, the picker would offer only "Add provider…": the button says so.
        views.push(
          others.length
            ? { kind: 'pick', label: 'Choose another backend…' }
            : { kind: 'add', label: 'Add a backend and retry…' },
        );
        break;
      }
      case 'set-key':
        if (providerId) views.push({ kind: 'set-key', providerId, label: `Set API key for ${backendName}` });
        break;
      case 'new-chat':
        views.push({ kind: 'new-chat', label: 'New chat' });
        break;
    }
  }
  return views;
}

export function turnView(turn: Turn, options: TurnViewOptions): TurnView {
  if (turn.role === 'user') return { role: 'user', id: turn.id, text: turn.text, context: turn.context };
  const view: TurnView = { role: 'assistant', id: turn.id, text: turn.text, status: turn.status };
  if (turn.backendName) view.source = turn.model ? `${turn.backendName} · ${turn.model}` : turn.backendName;
  if (turn.usage) view.usage = usageLine(turn.usage);
  if (turn.status === 'failed' && turn.error) {
    const facts = turn.error;
    const explanation = explainFailure(facts, options.now);
    const name = facts.backendName ?? facts.providerId ?? 'the backend';
    view.error = {
      headline: explanation.headline,
      detail: explanation.detail,
      ...(explanation.resets !== undefined && { resets: explanation.resets }),
      ...(facts.kind !== 'unknown' &&
        facts.kind !== 'no-backend' &&
        facts.kind !== 'bad-request' && { backendMessage: facts.message }),
      actions: options.actionable ? actionsFor(explanation.actions, facts.providerId, name, options.alternatives) : [],
    };
  }
  return view;
}
