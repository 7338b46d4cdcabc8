/**
 * Qwen Code's OAuth login (`~/.qwen/oauth_creds.json`), refreshed the way Qwen Code refreshes it
 * (QwenLM/qwen-code packages/core/src/qwen/qwenOAuth2.ts and sharedTokenManager.ts), so the CLI
 * and Switchboard can share one file. The free tier behind this login ended on 2026-04-15; what is
 * left here is mostly turning a dead login into a clear message.
 */
import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { readSmallFile } from '../fsPaths/smallFile';
import { startDeadline } from './deadline';
import { guardedFetch } from './guardedFetch';
import { kindFromStatus, ProviderError } from './providerError';
import { redactSecrets, rememberSecret } from './redact';
import { isRecord, parseJson } from '../jsonValue';

/** Qwen Code's login file holds a few tokens: anything larger is not it. */
const MAX_CREDS_BYTES = 64 * 1024;

/** The file's shape; Qwen Code writes every field, older versions sometimes left some out. */
export interface QwenCreds {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
  /** Host (sometimes a URL) of the inference endpoint, usually `portal.qwen.ai`. */
  resource_url?: string;
  /** Expiry in milliseconds since the epoch. */
  expiry_date?: number;
  id_token?: string;
}

export interface QwenOAuthOptions {
  /** Path of `oauth_creds.json`. */
  file: string;
  tokenUrl?: string;
  clientId?: string;
  fetchImpl?: typeof fetch;
  now?: () => number;
  /** Names the backend in errors; default 'qwen-oauth'. */
  providerId?: string;
  /** Budget for one refresh request; default 20 s. */
  refreshTimeoutMs?: number;
}

export const QWEN_OAUTH_TOKEN_URL = 'https://chat.qwen.ai/api/v1/oauth2/token';
/** Qwen Code's public OAuth client id (a device-flow client, no secret). */
export const QWEN_OAUTH_CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56';
/** Qwen Code refreshes when less than 30 s of validity remain (TOKEN_REFRESH_BUFFER_MS). */
export const QWEN_OAUTH_REFRESH_AHEAD_MS = 30_000;
export const QWEN_OAUTH_DEFAULT_RESOURCE = 'portal.qwen.ai';

/** What to tell a user whose Qwen OAuth login no longer works. */
export const QWEN_OAUTH_DISCONTINUED =
  'The Qwen OAuth free tier ended on 2026-04-15, so this login no longer serves requests. ' +
  "To keep using Qwen: Alibaba's Coding Plan, a flat monthly subscription (preset coding-plan-intl), " +
  'Alibaba Model Studio pay-as-you-go with an API key (preset dashscope-intl, model qwen3-coder-plus), ' +
  "OpenRouter's free qwen/qwen3-coder:free, or a local Ollama model such as qwen2.5-coder.";

// Used when the token server leaves out expires_in; Qwen's access tokens have lived about this long.
const FALLBACK_EXPIRES_IN_S = 3600;

export class QwenOAuthCredentials {
  private readonly file: string;
  private readonly tokenUrl: string;
  private readonly clientId: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly providerId: string;
  private readonly refreshTimeoutMs: number;
  /** Newest credentials we hold, in case writing them back failed. */
  private latest?: QwenCreds;
  /** One refresh at a time: concurrent callers share it (a refresh token may rotate). */
  private refreshing?: Promise<QwenCreds>;

  constructor(options: QwenOAuthOptions) {
    this.file = options.file;
    this.tokenUrl = options.tokenUrl ?? QWEN_OAUTH_TOKEN_URL;
    this.clientId = options.clientId ?? QWEN_OAUTH_CLIENT_ID;
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.now = options.now ?? Date.now;
    this.providerId = options.providerId ?? 'qwen-oauth';
    this.refreshTimeoutMs = options.refreshTimeoutMs ?? 20_000;
  }

  /**
   * Reads the file (every time: the Qwen Code CLI may have refreshed it). Undefined when there is
   * no file; a ProviderError 'auth' when it cannot be read or is not credentials.
   */
  async load(): Promise<QwenCreds | undefined> {
    const read = await readSmallFile(this.file, MAX_CREDS_BYTES);
    if (read.kind === 'missing') return undefined;
    if (read.kind !== 'text')
      throw this.authError(
        `Cannot read the Qwen Code login at ${this.file} (${read.kind === 'unreadable' ? read.code : read.kind === 'too-large' ? 'larger than 64 kB' : 'not a file'}).`,
      );
    const text = read.text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.authError(`${this.file} is not valid JSON; sign in again with Qwen Code or use another backend.`);
    }
    const creds = toCreds(parsed);
    if (!creds)
      throw this.authError(`${this.file} holds no access_token; sign in again with Qwen Code or use another backend.`);
    return creds;
  }

  /** A token valid for at least the refresh-ahead window, and the endpoint it works against. */
  async accessToken(signal?: AbortSignal): Promise<{ token: string; baseUrl: string }> {
    let creds = newer(await this.load(), this.latest);
    if (!creds) {
      throw this.authError(`No Qwen Code login found at ${this.file}. ${QWEN_OAUTH_DISCONTINUED}`);
    }
    if (!this.isFresh(creds)) creds = await this.refreshOnce(creds, signal);
    rememberSecret(creds.access_token);
    rememberSecret(creds.refresh_token);
    return { token: creds.access_token, baseUrl: qwenBaseUrl(creds.resource_url) };
  }

  private isFresh(creds: QwenCreds): boolean {
    return creds.expiry_date !== undefined && this.now() < creds.expiry_date - QWEN_OAUTH_REFRESH_AHEAD_MS;
  }

  private refreshOnce(creds: QwenCreds, signal?: AbortSignal): Promise<QwenCreds> {
    this.refreshing ??= this.refresh(creds, signal).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(creds: QwenCreds, signal?: AbortSignal): Promise<QwenCreds> {
    const secrets = [creds.access_token, creds.refresh_token];
    if (!creds.refresh_token) {
      throw this.authError(
        `The Qwen Code login at ${this.file} has expired and holds no refresh token. ${QWEN_OAUTH_DISCONTINUED}`,
      );
    }
    const deadline = startDeadline({ signal, timeoutMs: this.refreshTimeoutMs }, this.refreshTimeoutMs);
    let status: number;
    let text: string;
    try {
      // Guarded like every other request: the refresh token in the body must not follow a redirect
      // to another server, and the answer is bounded.
      const transport = guardedFetch({ providerId: this.providerId, fetch: this.fetchImpl });
      const response = await transport(this.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: creds.refresh_token,
          client_id: this.clientId,
        }).toString(),
        signal: deadline.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (deadline.timedOut()) {
        throw new ProviderError({
          kind: 'timeout',
          providerId: this.providerId,
          message: `Refreshing the Qwen OAuth token took longer than ${this.refreshTimeoutMs} ms.`,
        });
      }
      if (signal?.aborted)
        throw new ProviderError({
          kind: 'cancelled',
          providerId: this.providerId,
          message: 'Qwen OAuth token refresh cancelled.',
        });
      // Refused by the transport (a redirect elsewhere, an answer too large): its own words.
      if (error instanceof ProviderError) throw error;
      const reason = redactSecrets(
        error instanceof Error ? (causeMessage(error) ?? error.message) : String(error),
        secrets,
      );
      throw new ProviderError({
        kind: 'network',
        providerId: this.providerId,
        message: `Could not reach the Qwen OAuth token server (${reason}).`,
      });
    } finally {
      deadline.dispose();
    }

    const body = parseJson(text);
    const errorCode = isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
    // Qwen Code treats 400/401 from the refresh as "credentials must be cleared": the login is gone.
    if (status === 400 || status === 401) {
      throw new ProviderError({
        kind: 'auth',
        providerId: this.providerId,
        status,
        code: errorCode,
        retryable: false,
        message: `The Qwen OAuth login is no longer valid (the token server answered ${status}${errorCode ? ` ${redactSecrets(errorCode, secrets)}` : ''}). ${QWEN_OAUTH_DISCONTINUED}`,
      });
    }
    if (
      status < 200 ||
      status >= 300 ||
      !isRecord(body) ||
      errorCode ||
      typeof body.access_token !== 'string' ||
      !body.access_token
    ) {
      const kind = status >= 200 && status < 300 ? 'server' : kindFromStatus(status);
      const detail = errorCode ?? (status >= 200 && status < 300 ? 'no access_token in the answer' : `HTTP ${status}`);
      throw new ProviderError({
        kind,
        providerId: this.providerId,
        status,
        code: errorCode,
        message: `Refreshing the Qwen OAuth token failed (${redactSecrets(detail, secrets)}).`,
      });
    }

    const expiresIn =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : FALLBACK_EXPIRES_IN_S;
    const next: QwenCreds = {
      ...creds,
      access_token: body.access_token,
      token_type: typeof body.token_type === 'string' ? body.token_type : creds.token_type,
      // The server may rotate the refresh token; keep the old one when it does not.
      refresh_token:
        typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : creds.refresh_token,
      resource_url: typeof body.resource_url === 'string' && body.resource_url ? body.resource_url : creds.resource_url,
      expiry_date: this.now() + expiresIn * 1000,
    };
    this.latest = next;
    // If the write fails the token still works for this session (kept in `latest`); the CLI will
    // refresh on its own next time.
    await writeAtomically(this.file, JSON.stringify(next, null, 2)).catch(() => undefined);
    return next;
  }

  private authError(message: string): ProviderError {
    return new ProviderError({ kind: 'auth', providerId: this.providerId, message, retryable: false });
  }
}

/** `https://{resource_url}/v1`, accepting a resource_url with or without a scheme or `/v1`. */
export function qwenBaseUrl(resourceUrl: string | undefined): string {
  const raw = resourceUrl?.trim() || QWEN_OAUTH_DEFAULT_RESOURCE;
  const withScheme = (/^https?:\/\//i.test(raw) ? raw : `https://${raw}`).replace(/\/+$/, '');
  return withScheme.endsWith('/v1') ? withScheme : `${withScheme}/v1`;
}

/** tmp file in the same folder, mode 0600, then rename: a reader never sees half a file. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600 });
    // The umask can strip bits from `mode` but never add them; chmod makes 0600 exact either way.
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

function toCreds(value: unknown): QwenCreds | undefined {
  if (!isRecord(value) || typeof value.access_token !== 'string' || !value.access_token) return undefined;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  return {
    ...value,
    access_token: value.access_token,
    refresh_token: text('refresh_token'),
    token_type: text('token_type'),
    resource_url: text('resource_url'),
    id_token: text('id_token'),
    expiry_date: typeof value.expiry_date === 'number' ? value.expiry_date : undefined,
  };
}

function newer(a: QwenCreds | undefined, b: QwenCreds | undefined): QwenCreds | undefined {
  if (!a || !b) return a ?? b;
  return (b.expiry_date ?? 0) > (a.expiry_date ?? 0) ? b : a;
}

function causeMessage(error: Error): string | undefined {
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return undefined;
}
