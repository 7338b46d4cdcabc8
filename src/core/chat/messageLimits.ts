/**
 * Sizes the chat protocol accepts, shared by the host's checks and the webview (which imports
 * these without the schemas, so it does not carry zod).
 */
export const MAX_MESSAGE_CHARS = 100_000;
/** A code block the user copies or inserts; answers are far shorter, but a pasted file may not be. */
export const MAX_CODE_CHARS = 1_000_000;
export const MAX_HREF_CHARS = 2_048;
/** More chips than the context tracker ever shows. */
export const MAX_CONTEXT_IDS = 64;
