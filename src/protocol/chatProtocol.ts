/**
 * Every message between the chat view and the extension host, declared once. The host validates
 * each incoming message against these schemas before acting on it.
 */
import * as z from 'zod/mini';

export const webviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('send'), text: z.string().check(z.minLength(1), z.maxLength(100_000)) }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('newChat') }),
]);
export type WebviewToHost = z.infer<typeof webviewToHost>;

export type HostToWebview =
  | { type: 'backend'; name: string | undefined; model: string | undefined }
  | { type: 'start'; id: number }
  | { type: 'delta'; id: number; text: string }
  | { type: 'done'; id: number; inputTokens: number; outputTokens: number }
  | { type: 'error'; id: number; message: string; stopped: boolean }
  | { type: 'cleared' };
