import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ProviderError } from '../../../src/core/providers/providerError';
import {
  QWEN_OAUTH_CLIENT_ID,
  QwenOAuthCredentials,
  qwenBaseUrl,
  type QwenCreds,
} from '../../../src/core/providers/qwenOAuth';

interface TokenRequest {
  contentType?: string;
  form: Record<string, string>;
}

describe('QwenOAuthCredentials', () => {
  const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);
  const oldAccess = 'old-ACCESS-token-0123456789abcdef';
  const oldRefresh = 'old-REFRESH-token-0123456789abcdef';
  const newAccess = 'new-ACCESS-token-fedcba9876543210';
  const newRefresh = 'new-REFRESH-token-fedcba9876543210';
  let dir: string;
  let file: string;
  let tokenUrl: string;
  let close: () => Promise<void>;
  let requests: TokenRequest[];
  let answer: (res: ServerResponse) => void;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-qwen-oauth-'));
    file = join(dir, 'oauth_creds.json');
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        requests.push({
          contentType: req.headers['content-type'],
          form: Object.fromEntries(new URLSearchParams(body)),
        });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/oauth2/token`;
    close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  });
  after(async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests = [];
    answer = (res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: newAccess,
          refresh_token: newRefresh,
          token_type: 'Bearer',
          expires_in: 7200,
          resource_url: 'portal.qwen.ai',
        }),
      );
  });

  async function writeCreds(creds: Partial<QwenCreds>): Promise<void> {
    await writeFile(
      file,
      JSON.stringify({
        access_token: oldAccess,
        refresh_token: oldRefresh,
        token_type: 'Bearer',
        resource_url: 'portal.qwen.ai',
        ...creds,
      }),
    );
  }
  const credentials = () => new QwenOAuthCredentials({ file, tokenUrl, now: () => NOW });

  it('refreshes an expired token with the refresh_token grant and writes the file back', async () => {
    await writeCreds({ expiry_date: NOW - 60_000 });
    const result = await credentials().accessToken();
    assert.deepEqual(result, { token: newAccess, baseUrl: 'https://portal.qwen.ai/v1' });
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual(requests[0]?.form, {
      grant_type: 'refresh_token',
      refresh_token: oldRefresh,
      client_id: QWEN_OAUTH_CLIENT_ID,
    });

    const saved = JSON.parse(await readFile(file, 'utf8')) as QwenCreds;
    assert.equal(saved.access_token, newAccess);
    assert.equal(saved.refresh_token, newRefresh);
    assert.equal(saved.expiry_date, NOW + 7200 * 1000);
    assert.equal(saved.resource_url, 'portal.qwen.ai');
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['oauth_creds.json'], 'no temporary file left behind');
  });

  it('refreshes inside the 30-second window before expiry, and keeps the refresh token when none comes back', async () => {
    await writeCreds({ expiry_date: NOW + 10_000 });
    answer = (res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: newAccess, token_type: 'Bearer', expires_in: 3600 }));
    assert.equal((await credentials().accessToken()).token, newAccess);
    const saved = JSON.parse(await readFile(file, 'utf8')) as QwenCreds;
    assert.equal(saved.refresh_token, oldRefresh);
    assert.equal(saved.resource_url, 'portal.qwen.ai');
  });

  it('uses a fresh token as it is, without calling the token server', async () => {
    await writeCreds({ expiry_date: NOW + 3_600_000, resource_url: 'https://eu.portal.example/' });
    const result = await credentials().accessToken();
    assert.deepEqual(result, { token: oldAccess, baseUrl: 'https://eu.portal.example/v1' });
    assert.equal(requests.length, 0);
  });

  it('shares one refresh between concurrent callers', async () => {
    await writeCreds({ expiry_date: NOW - 1 });
    const creds = credentials();
    const [a, b] = await Promise.all([creds.accessToken(), creds.accessToken()]);
    assert.equal(a.token, newAccess);
    assert.equal(b.token, newAccess);
    assert.equal(requests.length, 1);
  });

  it('turns a 400 from the token server into an auth error that explains the shutdown and hides the tokens', async () => {
    await writeCreds({ expiry_date: NOW - 1 });
    answer = (res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'invalid_grant', error_description: `bad token ${oldRefresh}` }));
    const before = await readFile(file, 'utf8');
    await assert.rejects(credentials().accessToken(), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'auth'));
      assert.equal(error.status, 400);
      assert.equal(error.retryable, false);
      assert.match(error.message, /2026-04-15/);
      assert.match(error.message, /no longer valid/);
      assert.match(error.message, /Model Studio/);
      assert.match(error.message, /qwen\/qwen3-coder:free/);
      assert.match(error.message, /Ollama/);
      for (const token of [oldAccess, oldRefresh]) assert.ok(!error.message.includes(token));
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), before, 'the file is left as it was');
  });

  it('treats 401 the same way', async () => {
    await writeCreds({ expiry_date: NOW - 1 });
    answer = (res) => res.writeHead(401).end('invalid access token or token expired');
    await assert.rejects(
      credentials().accessToken(),
      (error: unknown) => ProviderError.is(error, 'auth') && error.status === 401,
    );
  });

  it('reports an unreachable token server as a network error', async () => {
    await writeCreds({ expiry_date: NOW - 1 });
    const unreachable = new QwenOAuthCredentials({ file, tokenUrl: 'http://127.0.0.1:9/token', now: () => NOW });
    await assert.rejects(unreachable.accessToken(), (error: unknown) => {
      assert.ok(ProviderError.is(error, 'network'));
      assert.ok(!error.message.includes(oldRefresh));
      return true;
    });
  });

  it('never follows the token server to another server with the refresh token', async () => {
    await writeCreds({ expiry_date: NOW - 1 });
    // localhost is another origin than 127.0.0.1: the same test server, listening as someone else.
    const elsewhere = new URL(tokenUrl);
    elsewhere.hostname = 'localhost';
    elsewhere.pathname = '/collect';
    answer = (res) => res.writeHead(307, { location: elsewhere.href }).end();
    await assert.rejects(credentials().accessToken(), (error: unknown) => {
      assert.ok(ProviderError.is(error));
      assert.ok(!error.message.includes(oldRefresh));
      return true;
    });
    assert.equal(requests.length, 1, 'the refresh token was posted again, to the server the redirect named');
  });

  it('reports a missing login as an auth error and load() as undefined', async () => {
    const missing = new QwenOAuthCredentials({ file: join(dir, 'nope.json'), tokenUrl, now: () => NOW });
    assert.equal(await missing.load(), undefined);
    await assert.rejects(
      missing.accessToken(),
      (error: unknown) => ProviderError.is(error, 'auth') && /2026-04-15/.test(error.message),
    );
  });

  it('builds the base URL from resource_url with or without a scheme', () => {
    assert.equal(qwenBaseUrl(undefined), 'https://portal.qwen.ai/v1');
    assert.equal(qwenBaseUrl('portal.qwen.ai'), 'https://portal.qwen.ai/v1');
    assert.equal(qwenBaseUrl('https://portal.qwen.ai/v1'), 'https://portal.qwen.ai/v1');
    assert.equal(qwenBaseUrl('http://127.0.0.1:9999/'), 'http://127.0.0.1:9999/v1');
  });
});
