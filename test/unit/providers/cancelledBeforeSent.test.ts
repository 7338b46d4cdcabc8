/**
 * "A failure that never reached a server costs nothing": a request cancelled while its connection
 * was still being made is recorded with no tokens and no cost; one cancelled after its body went
 * out may be billed by the server, so it is still estimated. Real sockets: a server that takes the
 * TCP connection and never answers the TLS handshake (an https request there is still connecting),
 * and one that reads the whole body and then never answers.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../../src/backends/providerRuntime';
import { ProviderError } from '../../../src/core/providers/providerError';
import { estimatedUsage } from '../../../src/core/providers/usage';
import type { Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { meterRequest } from '../../../src/core/usage/meterRequest';

const PREFIX = 'function cartTotal(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\n// ';
const PRICE = () => ({ micros: 1, currency: 'USD' as const, source: 'override' as const });

/** Takes TCP connections and says nothing: a TLS client waits in its handshake. */
async function silentListener(): Promise<{ url: string; connected: Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let onConnect = () => {};
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    onConnect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    connected,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads each request's whole body, then never answers (except Ollama's /api/show, answered at once). */
async function readsThenStalls(): Promise<{ url: string; bodyRead: Promise<string>; close: () => Promise<void> }> {
  let onBody: (body: string) => void = () => {};
  const bodyRead = new Promise<string>((resolve) => (onBody = resolve));
  const held = new Set<IncomingMessage>();
  const server: Server = createHttpServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/api/show') {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({ template: '{{ .Prompt }}{{ .Suffix }}', capabilities: ['completion', 'insert'] }),
        );
        return;
      }
      held.add(request);
      onBody(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodyRead,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function provider(entry: Record<string, unknown>): Provider {
  const { providers } = parseProviders([{ id: 'p', ...entry }]);
  assert.ok(providers[0]);
  return createProvider(providers[0], undefined);
}

/** Starts a FIM request, cancels it once `when` resolves, and returns what the meter records of it. */
async function cancelledFim(backend: Provider, when: Promise<unknown>) {
  const caller = new AbortController();
  const call = backend.fim({ prefix: PREFIX, suffix: '\n', signal: caller.signal });
  await when;
  caller.abort();
  const error = await call.then(
    () => assert.fail('a cancelled request does not answer'),
    (failure: unknown) => failure,
  );
  assert.ok(ProviderError.is(error, 'cancelled'), `cancelled, not ${String(error)}`);
  return { error, metered: meterRequest({ promptText: PREFIX + '\n', outputText: '', error }, PRICE) };
}

describe('a cancelled request is billed only when its body went out', () => {
  const closers: (() => Promise<void>)[] = [];
  after(() => Promise.all(closers.map((close) => close())));
  // "Never sent" is claimed only once this process has seen fetch report a body written (see
  // sendTrace.ts): in the extension host the first request does that, here one plain request.
  before(async () => {
    const server = createHttpServer((request, response) => request.resume().on('end', () => response.end('ok')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'warm' })).text();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const protocols: { name: string; entry: (url: string) => Record<string, unknown> }[] = [
    {
      name: 'OpenAI-compatible /completions (the SDK)',
      entry: (url) => ({ preset: 'custom', baseUrl: `${url}/v1`, completionModel: 'coder' }),
    },
    {
      name: 'Ollama /api/generate (native JSON)',
      entry: (url) => ({ preset: 'ollama', baseUrl: url, completionModel: 'coder' }),
    },
  ];

  for (const { name, entry } of protocols) {
    it(`${name}: cancelled while the connection was still being made, it costs nothing`, async () => {
      const listener = await silentListener();
      closers.push(listener.close);
      const { error, metered } = await cancelledFim(provider(entry(listener.url)), listener.connected);
      assert.equal(error.notSent, true, 'known never to have gone out');
      assert.equal(metered.unserved, true);
      assert.equal(metered.usage.inputTokens, 0, 'no estimated input');
      assert.equal(metered.price.micros, 0);
    });

    it(`${name}: cancelled after the server read its body, it is estimated as billed`, async () => {
      const server = await readsThenStalls();
      closers.push(server.close);
      const { error, metered } = await cancelledFim(provider(entry(server.url)), server.bodyRead);
      assert.notEqual(error.notSent, true);
      assert.equal(metered.unserved, undefined);
      assert.equal(metered.usage.inputTokens, estimatedUsage(PREFIX + '\n', '').inputTokens, 'the prompt, estimated');
      assert.ok(metered.usage.inputTokens > 0);
    });
  }
});
