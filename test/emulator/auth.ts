/**
 * Per-backend credential checks: Anthropic reads `x-api-key` (or a Bearer token, see below), the
 * OpenAI-compatible backends an `Authorization: Bearer` header, Ollama nothing. Each refuses with
 * its own 401 body.
 * Anthropic: https://docs.anthropic.com/en/api/overview#authentication
 * OpenAI: https://platform.openai.com/docs/api-reference/authentication
 */
import type { RequestContext } from './context';
import { authFailure, type Reply } from './errors';

export function presentedCredential(ctx: RequestContext): string | undefined {
  // Anthropic documents x-api-key; its SDK (1.x) sends the key as a Bearer token, which the API
  // accepts too, so both count.
  const apiKeyHeader = ctx.header('x-api-key');
  if (ctx.dialect === 'anthropic' && apiKeyHeader) return apiKeyHeader;
  const match = /^Bearer\s+(.+)$/i.exec(ctx.header('authorization') ?? '');
  return match?.[1]?.trim() || undefined;
}

/** The 401 to answer, or undefined when the request may go on. */
export function authRefusal(ctx: RequestContext): Reply | undefined {
  const expected = ctx.settings.apiKey;
  if (ctx.dialect === 'ollama' || expected === undefined) return undefined;
  const presented = presentedCredential(ctx);
  return presented === expected
    ? undefined
    : authFailure(ctx.dialect, presented, ctx.requestId, ctx.settings.echoRejectedKey === true);
}
