/**
 * Each backend's own error bodies, so a client's classifier meets the real shapes.
 * OpenAI: https://platform.openai.com/docs/guides/error-codes
 * Anthropic: https://docs.anthropic.com/en/api/errors (and the streaming `event: error`,
 *   https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * DeepSeek: https://api-docs.deepseek.com/quick_start/error_codes
 * Alibaba Model Studio (DashScope): https://help.aliyun.com/en/model-studio/error-code-start
 * Mistral: https://docs.mistral.ai/api/
 * OpenRouter: https://openrouter.ai/docs/api-reference/errors and
 *   https://openrouter.ai/docs/api-reference/streaming#handling-errors-during-streaming
 * Ollama: https://github.com/ollama/ollama/blob/main/docs/api.md (errors are `{"error": "…"}`)
 * LiteLLM proxy: https://docs.litellm.ai/docs/proxy/virtual_keys
 * Gemini: Google's `{"error":{"code","message","status","details"}}`, which the OpenAI-compatible
 *   endpoint wraps in a one-element list (continuedev/continue#8516, n4ze3m/page-assist#406); a bad
 *   key is a 400 with ErrorInfo reason API_KEY_INVALID (google/timesketch#3703).
 */
import type { Dialect } from './options';

/** A complete answer: status, body (JSON, or text when `contentType` says so) and headers. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One frame of a stream: SSE `event:` name (if any) and the JSON payload. */
export interface StreamFrame {
  event?: string;
  data: unknown;
}

export function openAiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/** Google's error object, as Gemini's OpenAI-compatible endpoint sends it: in a one-element list. */
export function googleError(code: number, status: string, message: string, details: unknown[] = []) {
  return [{ error: { code, message, status, ...(details.length > 0 && { details }) } }];
}

export function anthropicError(type: string, message: string, requestId: string) {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** Shows only the ends of a key, as backends do when they echo a rejected one. */
export function maskKey(key: string): string {
  return key.length < 12 ? '****' : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export function authFailure(
  dialect: Dialect,
  presented: string | undefined,
  requestId: string,
  echoKey = false,
): Reply {
  switch (dialect) {
    case 'anthropic':
      return {
        status: 401,
        body: anthropicError(
          'authentication_error',
          presented ? 'invalid x-api-key' : 'x-api-key header is required',
          requestId,
        ),
      };
    case 'dashscope':
    case 'coding-plan':
      return {
        status: 401,
        body: {
          ...openAiError('Incorrect API key provided. ', 'invalid_request_error', 'invalid_api_key'),
          request_id: requestId,
        },
      };
    case 'deepseek':
      return {
        status: 401,
        body: openAiError(
          presented
            ? `Authentication Fails, Your api key: ****${presented.slice(-4)} is invalid`
            : 'Authentication Fails (auth header format should be Bearer sk-...)',
          'authentication_error',
          'invalid_request_error',
        ),
      };
    case 'mistral':
      return { status: 401, body: { message: 'Unauthorized', request_id: requestId } };
    case 'gemini':
      return {
        status: 400,
        body: googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ]),
      };
    case 'openrouter':
      return {
        status: 401,
        body: { error: { message: presented ? 'User not found.' : 'No auth credentials found', code: 401 } },
      };
    case 'litellm':
      return {
        status: 401,
        body: {
          error: {
            message: `Authentication Error, Invalid proxy server token passed. Received API Key = ${presented ? maskKey(presented) : 'None'}`,
            type: 'auth_error',
            param: 'None',
            code: '401',
          },
        },
      };
    case 'ollama':
    case 'openai':
    case 'zai':
      return {
        status: 401,
        body: presented
          ? openAiError(
              `Incorrect API key provided: ${echoKey ? presented : maskKey(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              'invalid_request_error',
              'invalid_api_key',
            )
          : openAiError(
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
              'invalid_request_error',
              null,
            ),
      };
  }
}

export function badRequest(dialect: Dialect, message: string, requestId: string): Reply {
  switch (dialect) {
    case 'anthropic':
      return { status: 400, body: anthropicError('invalid_request_error', message, requestId) };
    case 'ollama':
      return { status: 400, body: { error: message } };
    case 'mistral':
      return {
        status: 400,
        body: { object: 'error', message, type: 'invalid_request_error', param: null, code: null },
      };
    case 'openrouter':
      return { status: 400, body: { error: { code: 400, message } } };
    case 'dashscope':
    case 'coding-plan':
      return {
        status: 400,
        body: { ...openAiError(message, 'invalid_request_error', 'invalid_parameter_error'), request_id: requestId },
      };
    case 'deepseek':
      return { status: 400, body: openAiError(message, 'invalid_request_error', 'invalid_request_error') };
    case 'gemini':
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', message) };
    case 'litellm':
    case 'openai':
    case 'zai':
      return { status: 400, body: openAiError(message, 'invalid_request_error', null) };
  }
}

const CLOUDFLARE_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

/** A 5xx as the backend sends it (OpenAI's 502 comes from its CDN as HTML, not JSON). */
export function serverFailure(dialect: Dialect, status: number, requestId: string): Reply {
  const overloaded = status === 503 || status === 529;
  switch (dialect) {
    case 'anthropic':
      return status === 529
        ? { status, body: anthropicError('overloaded_error', 'Overloaded', requestId) }
        : { status, body: anthropicError('api_error', 'Internal server error', requestId) };
    case 'ollama':
      return {
        status,
        body: {
          error: overloaded
            ? 'server busy, please try again.  maximum pending requests exceeded'
            : 'an error was encountered while running the model',
        },
      };
    case 'mistral':
      return {
        status,
        body: {
          object: 'error',
          message: overloaded ? 'Service unavailable.' : 'Internal server error',
          type: 'internal_server_error',
          param: null,
          code: null,
        },
      };
    case 'openrouter':
      return {
        status,
        body: {
          error:
            status === 502
              ? {
                  code: 502,
                  message: 'Provider returned error',
                  metadata: { provider_name: 'Emulator', raw: 'upstream failure' },
                }
              : {
                  code: status,
                  message: overloaded
                    ? 'No allowed providers are available for the selected model.'
                    : 'Internal Server Error',
                },
        },
      };
    case 'dashscope':
    case 'coding-plan':
      return {
        status,
        body: {
          ...openAiError(
            'An internal error has occured, please try again later or contact service support.',
            'internal_error',
            'internal_error',
          ),
          request_id: requestId,
        },
      };
    case 'deepseek':
      return {
        status,
        body: openAiError(overloaded ? 'Server Overloaded' : 'Server Error', 'server_error', 'server_error'),
      };
    case 'gemini':
      return {
        status,
        body: overloaded
          ? googleError(status, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
          : googleError(
              status,
              'INTERNAL',
              'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
            ),
      };
    case 'litellm':
      return {
        status,
        body: {
          error: {
            message: 'Internal Server Error',
            type: 'internal_server_error',
            param: 'None',
            code: String(status),
          },
        },
      };
    case 'openai':
    case 'zai':
      if (status === 502) return { status, body: CLOUDFLARE_502, contentType: 'text/html' };
      return {
        status,
        body: overloaded
          ? openAiError('The engine is currently overloaded, please try again later.', 'server_error', null)
          : openAiError(
              'The server had an error while processing your request. Sorry about that!',
              'server_error',
              null,
            ),
      };
  }
}

/** The backend's own way of failing after a 200 stream has begun. */
export function streamFailure(dialect: Dialect, chunkBase: Record<string, unknown>): StreamFrame {
  switch (dialect) {
    case 'anthropic':
      return { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
    case 'ollama':
      return { data: { error: 'an error was encountered while running the model: unexpected EOF' } };
    case 'openrouter':
      // OpenRouter's "unified error event": top-level error plus a choice that ends with "error".
      return {
        data: {
          ...chunkBase,
          provider: 'Emulator',
          error: { code: 'server_error', message: 'Provider disconnected unexpectedly' },
          choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
        },
      };
    default:
      return {
        data: openAiError(
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
          null,
        ),
      };
  }
}
