/**
 * The SDKs read vendor variables from the environment and add them to every request of every
 * client. A backend must receive only the key set for it and the headers its entry lists: driven
 * over a real socket with those variables set, as a developer's shell often has them.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { clientHeaders } from '../../../src/core/providers/clientEnv';
import { parseProviders } from '../../../src/core/settings/providerSettings';

const SHELL = {
  OPENAI_ORG_ID: 'org-CORPORATE123',
  OPENAI_PROJECT_ID: 'proj_SECRETPROJECT',
  OPENAI_CUSTOM_HEADERS: 'X-Corp-Token: corp-gw-secret-0001\nAuthorization: Bearer sk-env-OVERRIDE-1234567890',
  ANTHROPIC_AUTH_TOKEN: 'ant-auth-token-FROM-ENV-999',
  ANTHROPIC_CUSTOM_HEADERS: 'X-Ant-Corp: ant-corp-secret',
};

describe('the shell’s vendor variables never reach a backend', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const saved = new Map<string, string | undefined>();

  before(async () => {
    for (const [name, value] of Object.entries(SHELL)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      request.resume();
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error' } }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function ask(entry: Record<string, unknown>, key: string | undefined) {
    const { providers } = parseProviders([{ id: 'p', ...entry }]);
    const provider = createProvider(providers[0]!, key);
    const from = seen.length;
    try {
      for await (const event of provider.chat({ messages: [{ role: 'user', content: 'hi' }] })) void event;
    } catch {
      // Refused by the test server: what matters is what it received.
    }
    return seen.slice(from);
  }

  it('an OpenAI-protocol backend gets its own key and headers, not the OpenAI account or custom headers', async () => {
    const requests = await ask(
      { preset: 'deepseek', baseUrl: `${base}/v1`, headers: { 'X-Team': 'blue' } },
      'sk-deepseek-USERKEY-0123456789',
    );
    assert.ok(requests.length > 0);
    for (const { headers } of requests) {
      assert.equal(headers.authorization, 'Bearer sk-deepseek-USERKEY-0123456789');
      assert.equal(headers['x-team'], 'blue');
      assert.equal(headers['openai-organization'], undefined);
      assert.equal(headers['openai-project'], undefined);
      assert.equal(headers['x-corp-token'], undefined);
    }
  });

  it('a header the user lists for the backend is theirs and is sent', async () => {
    const requests = await ask(
      { preset: 'custom', baseUrl: `${base}/v1`, chatModel: 'm', headers: { 'X-Corp-Token': 'mine' } },
      'sk-custom-0123456789',
    );
    assert.equal(requests[0]?.headers['x-corp-token'], 'mine');
  });

  it('an Anthropic backend without a key sends no token from the shell and runs no credential chain', async () => {
    const requests = await ask({ preset: 'anthropic', baseUrl: base }, undefined);
    assert.ok(requests.length > 0);
    const everything = JSON.stringify(requests);
    assert.equal(everything.includes('ant-auth-token-FROM-ENV-999'), false);
    assert.equal(everything.includes('ant-corp-secret'), false);
    assert.deepEqual(
      requests.map((request) => request.url),
      requests.map(() => '/v1/messages'),
      'only the request asked for: no token exchange first',
    );
  });

  it('reads the custom header names as the SDKs do', () => {
    assert.deepEqual(
      clientHeaders({ 'x-team': 'blue' }, 'sk-1', {
        OPENAI_CUSTOM_HEADERS: 'X-A: 1\nbroken line\nX-Team: 2',
        ANTHROPIC_CUSTOM_HEADERS: 'authorization: Bearer theirs',
      }),
      {
        'OpenAI-Organization': null,
        'OpenAI-Project': null,
        'X-A': null,
        authorization: 'Bearer sk-1',
        'x-team': 'blue',
      },
    );
  });
});
