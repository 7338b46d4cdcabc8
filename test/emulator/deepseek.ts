/**
 * DeepSeek: FIM at `POST /beta/completions`, chat at `POST /chat/completions`, and
 * `GET /user/balance`. A scripted balance of 0 makes generation answer 402 "Insufficient Balance".
 * FIM (beta, max 4K output tokens): https://api-docs.deepseek.com/guides/fim_completion and
 *   https://api-docs.deepseek.com/api/create-completion
 * Balance (amounts are strings): https://api-docs.deepseek.com/api/get-user-balance
 * Error codes: https://api-docs.deepseek.com/quick_start/error_codes
 */
import type { RequestContext } from './context';
import { badRequest, openAiError, type Reply } from './errors';
import { stopList } from './generation';
import { completions } from './openai';
import type { DeepSeekAccount } from './options';

const FIM_MAX_TOKENS = 4096;
const FIM_MAX_STOPS = 16;
const DEFAULT_ACCOUNT: Required<DeepSeekAccount> = { currency: 'USD', grantedBalance: 0, toppedUpBalance: 10 };

function account(ctx: RequestContext): Required<DeepSeekAccount> {
  return { ...DEFAULT_ACCOUNT, ...ctx.settings.deepseek };
}

export function fimCompletions(ctx: RequestContext): Promise<void> {
  const body = ctx.json;
  const maxTokens = body.max_tokens;
  if (
    maxTokens !== undefined &&
    maxTokens !== null &&
    (typeof maxTokens !== 'number' || maxTokens < 1 || maxTokens > FIM_MAX_TOKENS)
  ) {
    return Promise.resolve(
      ctx.send(
        badRequest(
          'deepseek',
          `Invalid max_tokens value, the valid range of max_tokens is [1, ${FIM_MAX_TOKENS}]`,
          ctx.requestId,
        ),
      ),
    );
  }
  if (stopList(body.stop).length > FIM_MAX_STOPS) {
    return Promise.resolve(
      ctx.send(
        badRequest(
          'deepseek',
          `Invalid stop value, the maximum number of stop sequences is ${FIM_MAX_STOPS}`,
          ctx.requestId,
        ),
      ),
    );
  }
  if (typeof body.prompt !== 'string')
    return Promise.resolve(ctx.send(badRequest('deepseek', 'prompt: field required', ctx.requestId)));
  return completions(ctx, FIM_MAX_TOKENS);
}

export function balance(ctx: RequestContext): Promise<void> {
  const { currency, grantedBalance, toppedUpBalance } = account(ctx);
  const total = grantedBalance + toppedUpBalance;
  return ctx.ok({
    is_available: total > 0,
    balance_infos: [
      {
        currency,
        total_balance: total.toFixed(2),
        granted_balance: grantedBalance.toFixed(2),
        topped_up_balance: toppedUpBalance.toFixed(2),
      },
    ],
  });
}

/** DeepSeek refuses to generate on an empty balance. */
export function deepSeekAccountRefusal(ctx: RequestContext): Reply | undefined {
  const { grantedBalance, toppedUpBalance } = account(ctx);
  if (grantedBalance + toppedUpBalance > 0) return undefined;
  return { status: 402, body: openAiError('Insufficient Balance', 'unknown_error', 'invalid_request_error') };
}
