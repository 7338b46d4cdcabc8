/**
 * Every message between the chat view and the extension host, declared once. The host validates
 * each incoming message against `webviewToHost` before acting on it: strict objects (an unknown
 * field is a rejected message, not an ignored one), bounded text, ids of a known shape.
 */
import * as z from 'zod/mini';
import type { ContextChip } from '../core/chat/contextItems';
import type { ConversationSummary } from '../core/chat/historyStore';
import { MAX_CODE_CHARS, MAX_CONTEXT_IDS, MAX_HREF_CHARS, MAX_MESSAGE_CHARS } from '../core/chat/messageLimits';
import type { TurnView } from '../core/chat/turnViews';

export { MAX_CODE_CHARS, MAX_CONTEXT_IDS, MAX_HREF_CHARS, MAX_MESSAGE_CHARS };

/** Conversation, turn and chip ids: the host makes them (UUIDs, "ctx-12"). */
const id = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_.:-]+$/));
/** As `switchboard.providers[].id` allows. */
const providerId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/));

export const webviewToHost = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({
    type: z.literal('send'),
    text: z.string().check(z.minLength(1), z.maxLength(MAX_MESSAGE_CHARS)),
    /** The chips shown when Enter was pressed: the revision they came from and their ids. */
    context: z.strictObject({
      revision: z.number().check(z.int(), z.nonnegative()),
      ids: z.array(id).check(z.maxLength(MAX_CONTEXT_IDS)),
    }),
  }),
  z.strictObject({ type: z.literal('stop') }),
  z.strictObject({ type: z.literal('regenerate') }),
  z.strictObject({ type: z.literal('newChat') }),
  z.strictObject({ type: z.literal('openConversation'), id }),
  z.strictObject({ type: z.literal('deleteConversation'), id }),
  z.strictObject({ type: z.literal('removeContext'), id }),
  z.strictObject({ type: z.literal('addContext') }),
  /** The header picker: makes `providerId` the chat backend. */
  z.strictObject({ type: z.literal('selectBackend'), providerId }),
  /** An error's one-click switch: the chat backend becomes `providerId`, and the last question is asked again. */
  z.strictObject({ type: z.literal('switchAndRetry'), providerId }),
  /** Runs "Switchboard: Switch Provider". */
  z.strictObject({ type: z.literal('pickBackend') }),
  /** Runs "Switchboard: Add Provider…"; the backend added becomes the chat backend, and the last question is asked again. */
  z.strictObject({ type: z.literal('addBackend') }),
  /** Runs "Switchboard: Set API Key" for `providerId`. */
  z.strictObject({ type: z.literal('setKey'), providerId }),
  /** Runs "Switchboard: Set Price…" for `providerId`'s chat model. */
  z.strictObject({ type: z.literal('setPrice'), providerId }),
  z.strictObject({
    type: z.literal('code'),
    action: z.enum(['copy', 'insert', 'replace']),
    code: z.string().check(z.maxLength(MAX_CODE_CHARS)),
    language: z.optional(z.string().check(z.maxLength(64))),
  }),
  z.strictObject({ type: z.literal('openLink'), href: z.string().check(z.minLength(1), z.maxLength(MAX_HREF_CHARS)) }),
]);
export type WebviewToHost = z.infer<typeof webviewToHost>;

/** One entry of the header picker: "Name · model · $in / $out per 1M". */
export interface BackendOption {
  id: string;
  label: string;
  /** Has a key, or needs none. */
  ready: boolean;
  /** A paid or user-priced backend whose chat model has no known price: the header offers "Set price…". */
  priceUnknown?: boolean;
}

export type HostToWebview =
  /** The whole active conversation, drawn afresh; `streamingTurnId` continues with `delta`s. */
  | { type: 'conversation'; id: string; turns: TurnView[]; streamingTurnId?: string }
  /** A turn added, or changed (an answer finished, stopped or failed). */
  | { type: 'turn'; turn: TurnView }
  | { type: 'turnRemoved'; id: string }
  | { type: 'delta'; turnId: string; text: string }
  /** The streaming answer's model is reasoning; its first delta ends the wait. */
  | { type: 'thinking'; turnId: string }
  | { type: 'controls'; busy: boolean; canRegenerate: boolean }
  /** `total`: what a question sent with these chips carries, the conversation so far included. */
  | { type: 'context'; revision: number; chips: ContextChip[]; total: string }
  | { type: 'backends'; options: BackendOption[]; selectedId?: string }
  | { type: 'history'; items: ConversationSummary[]; activeId?: string }
  | { type: 'totals'; session: string; conversation: string }
  /** A question the host did not send; its text goes back in the input. */
  | { type: 'sendRejected'; text: string; reason: string }
  /** A short status for the live region (and a screen reader). */
  | { type: 'notice'; text: string };
