/**
 * Finds model servers already running on this machine, so a user with Ollama, LM Studio or a
 * llama.cpp server gets a working backend without typing a URL. Every probe is a cheap GET that
 * must answer in the server's own JSON shape: a web app on port 8080 that serves HTML (or some
 * unrelated JSON) is not a model server.
 */
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { isRecord, parseJson } from '../jsonValue';
import { MAX_LISTED_MODELS } from '../providers/guardedProvider';
import { serverModelId } from '../providers/serverText';

/** Where to look, and which preset's probe to use there. */
export interface ProbeTarget {
  presetId: string;
  /** The server root or its OpenAI-compatible base URL (a trailing `/v1` is accepted). */
  baseUrl: string;
}

/** A server that answered its probe in the expected shape. */
export interface DetectedServer {
  presetId: string;
  /** OpenAI-compatible base URL, ready for a provider entry (`http://127.0.0.1:11434/v1`). */
  baseUrl: string;
  /** Model ids the server listed; empty when it has none loaded yet. */
  models: string[];
  latencyMs: number;
}

export interface DetectLocalServersOptions {
  /** Replaces the default targets. */
  hosts?: ProbeTarget[];
  /** Overall budget for every probe together; default 300 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Replaces the default transport (node:http without connection pooling). The default is not
   * global fetch because undici reopens an idle connection after an aborted request
   * (nodejs/undici#5845), which would keep a socket to a hung server alive after we give up.
   */
  fetchImpl?: typeof fetch;
}

/** The default ports of the servers a developer is likely to run (127.0.0.1: Ollama binds IPv4 only). */
export const DEFAULT_LOCAL_TARGETS: readonly ProbeTarget[] = [
  { presetId: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
  { presetId: 'lmstudio', baseUrl: 'http://127.0.0.1:1234' },
  { presetId: 'llamacpp', baseUrl: 'http://127.0.0.1:8080' },
];

const DEFAULT_TIMEOUT_MS = 300;

type Get = (path: string) => Promise<{ status: number; json: unknown } | undefined>;
type Transport = (url: string, signal: AbortSignal) => Promise<{ status: number; text: string }>;
type Probe = (get: Get) => Promise<string[] | undefined>;

/** Probes every target in parallel. Never throws; returns within `timeoutMs` plus a few ms. */
export async function detectLocalServers(options: DetectLocalServersOptions = {}): Promise<DetectedServer[]> {
  const targets = options.hosts ?? DEFAULT_LOCAL_TARGETS;
  const fetchImpl = options.fetchImpl;
  const transport: Transport = fetchImpl ? viaFetch(fetchImpl) : viaNodeHttp;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) return [];
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Aborting on timeout also tears down the sockets of servers that accepted and never answered.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  // Settles when the budget is spent, even if a fetch implementation ignores the signal.
  const budgetSpent = new Promise<undefined>((resolve) => {
    if (controller.signal.aborted) resolve(undefined);
    else controller.signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  try {
    const results = await Promise.all(
      targets.map((target) => Promise.race([probeTarget(target, transport, controller.signal), budgetSpent])),
    );
    return results.filter((server): server is DetectedServer => server !== undefined);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever is still in flight (a server that never answered) is cancelled now.
    controller.abort();
  }
}

async function probeTarget(
  target: ProbeTarget,
  transport: Transport,
  signal: AbortSignal,
): Promise<DetectedServer | undefined> {
  const root = serverRoot(target.baseUrl);
  if (!root) return undefined;
  const started = performance.now();
  const get: Get = async (path) => {
    try {
      const { status, text } = await transport(root + path, signal);
      return { status, json: parseJson(text) };
    } catch {
      return undefined;
    }
  };
  try {
    const listed = await probeFor(target.presetId)(get);
    if (!listed) return undefined;
    // Whatever answers on the port names them: they reach pickers and the user's settings as a
    // backend's models, so they are held to what any backend's model list is (see guardedProvider).
    const models = listed.slice(0, MAX_LISTED_MODELS).map(serverModelId).filter(Boolean);
    return {
      presetId: target.presetId,
      baseUrl: `${root}/v1`,
      models,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch {
    return undefined;
  }
}

// A model list is a few KB; anything far bigger is not the server we are looking for.
const MAX_BODY_BYTES = 1 << 20;

/** One GET on its own connection (agent: false), destroyed with its socket on abort. */
const viaNodeHttp: Transport = (url, signal) =>
  new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const request = get(
      url,
      { agent: false, signal, headers: { accept: 'application/json' } },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) request.destroy(new Error('response too large'));
          else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });

function viaFetch(fetchImpl: typeof fetch): Transport {
  return async (url, signal) => {
    const response = await fetchImpl(url, { signal, headers: { accept: 'application/json' } });
    return { status: response.status, text: await response.text() };
  };
}

function probeFor(presetId: string): Probe {
  if (presetId === 'ollama') return probeOllama;
  if (presetId === 'llamacpp') return probeLlamaCpp;
  return probeOpenAiModels;
}

/** Ollama: `GET /api/tags` → `{ "models": [{ "name": "qwen2.5-coder:7b", … }] }`. */
const probeOllama: Probe = async (get) => {
  const answer = await get('/api/tags');
  if (answer?.status !== 200 || !isRecord(answer.json) || !Array.isArray(answer.json.models)) return undefined;
  const names = answer.json.models.map((model) => (isRecord(model) ? (model.name ?? model.model) : undefined));
  return names.every((name) => typeof name === 'string') ? (names as string[]) : undefined;
};

/** LM Studio, vLLM, LiteLLM and other OpenAI-compatible servers: `GET /v1/models` → `{ "data": [{ "id" }] }`. */
const probeOpenAiModels: Probe = async (get) => modelList(await get('/v1/models'));

/**
 * llama.cpp's server lists its model at `/v1/models`; while it is still loading, `/health` answers
 * 503 with `{"error":{"type":"unavailable_error"}}`. A bare `{"status":"ok"}` from `/health` is not
 * enough on its own: plenty of unrelated apps on 8080 answer that.
 */
const probeLlamaCpp: Probe = async (get) => {
  const [models, health] = await Promise.all([get('/v1/models').then(modelList), get('/health')]);
  if (models) return models;
  const error = health && isRecord(health.json) && isRecord(health.json.error) ? health.json.error : undefined;
  return health?.status === 503 && error?.type === 'unavailable_error' ? [] : undefined;
};

function modelList(answer: { status: number; json: unknown } | undefined): string[] | undefined {
  if (answer?.status !== 200 || !isRecord(answer.json) || !Array.isArray(answer.json.data)) return undefined;
  const ids = answer.json.data.map((model) => (isRecord(model) ? model.id : undefined));
  return ids.every((id) => typeof id === 'string') ? (ids as string[]) : undefined;
}

/** `http://host:port/v1/` → `http://host:port`; undefined for anything but an http(s) URL. */
function serverRoot(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return undefined;
  }
}
