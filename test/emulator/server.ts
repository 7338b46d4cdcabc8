/**
 * The provider emulator: a real HTTP server on 127.0.0.1 that speaks the backends' wire formats,
 * for tests, benchmarks and `npm run sandbox`. This version speaks the OpenAI-compatible API:
 * `/v1/models`, `/v1/chat/completions` (SSE, with the final usage chunk when
 * `stream_options.include_usage` is set) and the legacy `/v1/completions` with `suffix`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatAnswer, DEFAULT_FIM_RULES, fimAnswer, type FimRule } from './answers';
import { approxTokens, chunkWords } from './tokens';

export interface EmulatorOptions {
  port?: number;
  /** Delay before the response headers, in ms. */
  latencyMs?: number;
  /** Stream pace; 0 sends every chunk at once. */
  tokensPerSecond?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  fimRules?: readonly FimRule[];
  models?: readonly string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  /** Set when the client went away before the response finished. */
  aborted: boolean;
}

export interface Emulator {
  url: string;
  /** Base URL for OpenAI-compatible clients (`…/v1`). */
  openaiBaseUrl: string;
  port: number;
  requests: RecordedRequest[];
  options: EmulatorOptions;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res, options, requests).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
      else res.destroy();
    });
  });
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    port,
    requests,
    options,
    close: () => closeServer(server),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: EmulatorOptions, requests: RecordedRequest[]): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  const raw = await readBody(req);
  let body: unknown = undefined;
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, openAiError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
    }
  }
  const record: RecordedRequest = { method: req.method ?? 'GET', path, body, aborted: false };
  requests.push(record);
  res.on('close', () => {
    if (!res.writableFinished) record.aborted = true;
  });

  if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
    // OpenAI's exact shape; the key itself is never echoed back.
    return sendJson(res, 401, openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
  }
  if (options.latencyMs) await sleep(options.latencyMs);

  if (req.method === 'GET' && path === '/v1/models') {
    const models = options.models ?? ['emulator-chat', 'emulator-coder'];
    return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'emulator' })) });
  }
  if (req.method === 'POST' && path === '/v1/chat/completions') return chatCompletions(res, asObject(body), options);
  if (req.method === 'POST' && path === '/v1/completions') return completions(res, asObject(body), options);
  if (req.method === 'GET' && path === '/') return sendJson(res, 200, { emulator: 'switchboard', ok: true });
  return sendJson(res, 404, openAiError(`Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url'));
}

async function chatCompletions(res: ServerResponse, body: Record<string, unknown>, options: EmulatorOptions): Promise<void> {
  const model = typeof body.model === 'string' ? body.model : 'emulator-chat';
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const text = chatAnswer(typeof lastUser?.content === 'string' ? lastUser.content : '');
  const promptTokens = approxTokens(messages.map((message) => (typeof message.content === 'string' ? message.content : '')).join('\n'));
  const chunks = chunkWords(text);
  const id = `chatcmpl-emu${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: promptTokens, completion_tokens: chunks.length, total_tokens: promptTokens + chunks.length };

  if (body.stream !== true) {
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage,
    });
  }
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  startSse(res);
  const base = { id, object: 'chat.completion.chunk', created, model };
  sendEvent(res, { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  for (const chunk of chunks) {
    if (res.destroyed) return;
    await pace(options);
    sendEvent(res, { ...base, choices: [{ index: 0, delta: { content: chunk }, finish_reason: null }] });
  }
  sendEvent(res, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  if (includeUsage) sendEvent(res, { ...base, choices: [], usage });
  res.end('data: [DONE]\n\n');
}

async function completions(res: ServerResponse, body: Record<string, unknown>, options: EmulatorOptions): Promise<void> {
  const model = typeof body.model === 'string' ? body.model : 'emulator-coder';
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  const suffix = typeof body.suffix === 'string' ? body.suffix : '';
  let text = fimAnswer(prompt, options.fimRules ?? DEFAULT_FIM_RULES);
  const stops = Array.isArray(body.stop) ? (body.stop as unknown[]).filter((s): s is string => typeof s === 'string') : typeof body.stop === 'string' ? [body.stop] : [];
  let finishReason = 'stop';
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at !== -1) text = text.slice(0, at);
  }
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
  const chunks = chunkWords(text);
  if (chunks.length > maxTokens) {
    text = chunks.slice(0, maxTokens).join('');
    finishReason = 'length';
  }
  const promptTokens = approxTokens(prompt + suffix);
  const completionTokens = chunkWords(text).length;
  await pace(options, completionTokens);
  return sendJson(res, 200, {
    id: `cmpl-emu${Date.now().toString(36)}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  });
}

function openAiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

function sendEvent(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

function sendJson(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(data);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function pace(options: EmulatorOptions, tokens = 1): Promise<void> {
  return options.tokensPerSecond ? sleep((1000 * tokens) / options.tokensPerSecond) : Promise.resolve();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
