import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectEnvKeys } from '../../../src/core/detection/envKeys';
import { detectLocalServers } from '../../../src/core/detection/localServers';
import { MAX_LISTED_MODELS } from '../../../src/core/providers/guardedProvider';
import { MAX_MODEL_ID_CHARS } from '../../../src/core/providers/serverText';
import { importQwenCode, readImportedKey, type ImportedEntry } from '../../../src/core/detection/qwenCodeImport';

interface TestServer {
  url: string;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function closedPort(): Promise<string> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.url;
}

async function until(condition: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

const active = (kind: string) => process.getActiveResourcesInfo().filter((name) => name === kind).length;

describe('detectLocalServers', () => {
  const servers: TestServer[] = [];
  let ollama: TestServer;
  let lmstudio: TestServer;
  let llamacpp: TestServer;
  let llamaLoading: TestServer;
  let html: TestServer;
  let healthOnlyApp: TestServer;
  let silent: TestServer;

  before(async () => {
    ollama = await startServer((req, res) =>
      req.url === '/api/tags'
        ? json(res, 200, {
            models: [
              { name: 'qwen2.5-coder:7b', model: 'qwen2.5-coder:7b', size: 1 },
              { name: 'qwen2.5-coder:1.5b-base' },
            ],
          })
        : json(res, 404, { error: 'not found' }),
    );
    lmstudio = await startServer((req, res) =>
      req.url === '/v1/models'
        ? json(res, 200, {
            object: 'list',
            data: [{ id: 'qwen2.5-coder-7b-instruct', object: 'model', owned_by: 'organization_owner' }],
          })
        : json(res, 404, { error: 'Unexpected endpoint' }),
    );
    llamacpp = await startServer((req, res) => {
      if (req.url === '/health') json(res, 200, { status: 'ok' });
      else if (req.url === '/v1/models')
        json(res, 200, {
          object: 'list',
          data: [{ id: 'qwen2.5-coder-1.5b-q8_0.gguf', object: 'model', owned_by: 'llamacpp' }],
        });
      else json(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    });
    llamaLoading = await startServer((_req, res) =>
      json(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }),
    );
    html = await startServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>My app</body></html>'),
    );
    healthOnlyApp = await startServer((req, res) =>
      req.url === '/health' ? json(res, 200, { status: 'ok' }) : json(res, 404, { message: 'no' }),
    );
    silent = await startServer(() => undefined); // accepts, never answers
    servers.push(ollama, lmstudio, llamacpp, llamaLoading, html, healthOnlyApp, silent);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('finds Ollama, LM Studio and llama.cpp by their own answers, with their models', async () => {
    const found = await detectLocalServers({
      hosts: [
        { presetId: 'ollama', baseUrl: ollama.url },
        { presetId: 'lmstudio', baseUrl: `${lmstudio.url}/v1` },
        { presetId: 'llamacpp', baseUrl: llamacpp.url },
      ],
      timeoutMs: 2000,
    });
    assert.deepEqual(
      found.map(({ presetId, baseUrl, models }) => ({ presetId, baseUrl, models })),
      [
        { presetId: 'ollama', baseUrl: `${ollama.url}/v1`, models: ['qwen2.5-coder:7b', 'qwen2.5-coder:1.5b-base'] },
        { presetId: 'lmstudio', baseUrl: `${lmstudio.url}/v1`, models: ['qwen2.5-coder-7b-instruct'] },
        { presetId: 'llamacpp', baseUrl: `${llamacpp.url}/v1`, models: ['qwen2.5-coder-1.5b-q8_0.gguf'] },
      ],
    );
    for (const server of found) assert.ok(Number.isFinite(server.latencyMs) && server.latencyMs >= 0);
  });

  it('holds the models a server lists to a model list: bounded in number and length, never a link', async () => {
    const listed = [
      '[Update the model](command:workbench.action.terminal.new)',
      'x'.repeat(100_000),
      ...Array.from({ length: 5_000 }, (_, index) => `model-${index}`),
    ];
    const found = await detectLocalServers({
      hosts: [{ presetId: 'lmstudio', baseUrl: 'http://127.0.0.1:1234' }],
      timeoutMs: 2000,
      fetchImpl: async () => Response.json({ data: listed.map((id) => ({ id })) }),
    });
    const models = found[0]?.models ?? [];
    assert.equal(models.length, MAX_LISTED_MODELS);
    assert.equal(models[0], 'Update the model(command:workbench.action.terminal.new)');
    assert.equal(models[1], 'x'.repeat(MAX_MODEL_ID_CHARS));
    assert.ok(models.every((model) => !model.includes('](')));
  });

  it('reports a llama.cpp server that is still loading its model, with no models yet', async () => {
    const found = await detectLocalServers({
      hosts: [{ presetId: 'llamacpp', baseUrl: llamaLoading.url }],
      timeoutMs: 2000,
    });
    assert.deepEqual(
      found.map((s) => [s.presetId, s.models]),
      [['llamacpp', []]],
    );
  });

  it('does not mistake an HTML site, an unrelated /health, or a closed port for a model server', async () => {
    const closed = await closedPort();
    const found = await detectLocalServers({
      hosts: [
        { presetId: 'llamacpp', baseUrl: html.url },
        { presetId: 'lmstudio', baseUrl: html.url },
        { presetId: 'ollama', baseUrl: html.url },
        { presetId: 'llamacpp', baseUrl: healthOnlyApp.url },
        { presetId: 'ollama', baseUrl: closed },
        { presetId: 'lmstudio', baseUrl: 'not a url' },
      ],
      timeoutMs: 2000,
    });
    assert.deepEqual(found, []);
  });

  it('gives up on a server that never answers within the budget and leaves no timer or socket behind', async () => {
    const timersBefore = active('Timeout');
    const socketsBefore = active('TCPSocketWrap');
    const started = Date.now();
    const found = await detectLocalServers({
      hosts: [
        { presetId: 'ollama', baseUrl: silent.url },
        { presetId: 'llamacpp', baseUrl: silent.url },
        { presetId: 'lmstudio', baseUrl: lmstudio.url },
      ],
      timeoutMs: 200,
    });
    // A hang would never return; the bound is loose on purpose (this is not a speed test).
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      found.map((s) => s.presetId),
      ['lmstudio'],
    );
    assert.ok(await until(() => silent.sockets.size === 0), 'the aborted probes closed their connections');
    assert.ok(await until(() => active('TCPSocketWrap') <= socketsBefore), 'no client socket left open');
    assert.ok(active('Timeout') <= timersBefore, 'no timer left running');
  });

  it('returns within the budget even when fetch ignores the abort signal', async () => {
    const started = Date.now();
    const found = await detectLocalServers({
      hosts: [{ presetId: 'ollama', baseUrl: 'http://127.0.0.1:11434' }],
      timeoutMs: 50,
      fetchImpl: () => new Promise<Response>(() => undefined),
    });
    assert.deepEqual(found, []);
    assert.ok(Date.now() - started < 1500);
  });

  it('returns nothing at once when the caller has already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const found = await detectLocalServers({
      signal: controller.signal,
      fetchImpl: async () => {
        calls++;
        return new Response('{}');
      },
    });
    assert.deepEqual(found, []);
    assert.equal(calls, 0);
  });
});

describe('detectEnvKeys', () => {
  const planted = 'sk-PLANTED-env-value-0123456789abcdef';

  it('maps key variables to presets without returning any value', () => {
    const result = detectEnvKeys({
      DASHSCOPE_API_KEY: planted,
      ANTHROPIC_API_KEY: `${planted}-a`,
      GEMINI_API_KEY: `${planted}-g`,
      GOOGLE_API_KEY: `${planted}-google`,
      ZAI_API_KEY: `${planted}-z`,
      CODESTRAL_API_KEY: `${planted}-c`,
      MISTRAL_API_KEY: '   ',
      PATH: '/usr/bin',
    });
    assert.deepEqual(result, [
      { presetId: 'dashscope-intl', envVar: 'DASHSCOPE_API_KEY' },
      { presetId: 'anthropic', envVar: 'ANTHROPIC_API_KEY' },
      { presetId: 'codestral', envVar: 'CODESTRAL_API_KEY' },
      { presetId: 'gemini', envVar: 'GEMINI_API_KEY' },
      { presetId: 'zhipu', envVar: 'ZAI_API_KEY' },
    ]);
    assert.ok(!JSON.stringify(result).includes('PLANTED'));
  });

  it('treats OPENAI_API_KEY with an OPENAI_BASE_URL elsewhere as that server, not OpenAI', () => {
    assert.deepEqual(detectEnvKeys({ OPENAI_API_KEY: planted }), [{ presetId: 'openai', envVar: 'OPENAI_API_KEY' }]);
    assert.deepEqual(detectEnvKeys({ OPENAI_API_KEY: planted, OPENAI_BASE_URL: 'https://api.openai.com/v1' }), [
      { presetId: 'openai', envVar: 'OPENAI_API_KEY' },
    ]);
    assert.deepEqual(detectEnvKeys({ OPENAI_API_KEY: planted, OPENAI_BASE_URL: 'http://10.1.2.3:8000/v1/' }), [
      { presetId: 'custom', envVar: 'OPENAI_API_KEY', baseUrl: 'http://10.1.2.3:8000/v1' },
    ]);
    assert.deepEqual(detectEnvKeys({ OPENAI_API_KEY: planted, OPENAI_BASE_URL: 'https://openrouter.ai/api/v1' }), [
      { presetId: 'openrouter', envVar: 'OPENAI_API_KEY', baseUrl: 'https://openrouter.ai/api/v1' },
    ]);
  });

  it('strips credentials and query strings from a base URL it reports', () => {
    const result = detectEnvKeys({
      OPENAI_API_KEY: planted,
      OPENAI_BASE_URL: `https://user:${planted}@gw.example.com/v1?key=${planted}`,
    });
    assert.deepEqual(result, [{ presetId: 'custom', envVar: 'OPENAI_API_KEY', baseUrl: 'https://gw.example.com/v1' }]);
    assert.ok(!JSON.stringify(result).includes('PLANTED'));
  });
});

/** Display names come from the preset catalogue; the tests check everything else. */
function withoutNames(entries: ImportedEntry[]): Omit<ImportedEntry, 'name'>[] {
  return entries.map(({ name, ...rest }) => {
    assert.match(name, /\(from Qwen Code\)$/);
    return rest;
  });
}

describe('importQwenCode', () => {
  const planted = 'sk-PLANTEDqwenKey0123456789abcdefXYZ';
  let root: string;
  let home: string;
  let cwd: string;
  let n = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchboard-qwen-import-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function freshDirs(): Promise<void> {
    n++;
    home = join(root, `home${n}`);
    cwd = join(root, `project${n}`);
    await mkdir(home, { recursive: true });
    await mkdir(cwd, { recursive: true });
  }
  async function put(file: string, content: string): Promise<void> {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, content);
  }

  it('finds nothing in an empty home', async () => {
    await freshDirs();
    await put(join(home, '.env'), `OPENAI_API_KEY=${planted}\n`); // a generic .env alone is not a Qwen Code setup
    assert.deepEqual(await importQwenCode({ home, env: {} }), { found: false, entries: [], notes: [] });
  });

  it('imports OpenAI-compatible mode configured in settings.json env (with comments)', async () => {
    await freshDirs();
    const settingsFile = join(home, '.qwen', 'settings.json');
    await put(
      settingsFile,
      `{
        // Qwen Code allows comments here
        "security": { "auth": { "selectedType": "openai" } },
        "model": { "name": "qwen3-coder-plus" },
        "env": {
          "OPENAI_API_KEY": "${planted}",
          "OPENAI_BASE_URL": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" /* intl */
        }
      }`,
    );
    const result = await importQwenCode({ home, env: {} });
    assert.equal(result.found, true);
    assert.deepEqual(withoutNames(result.entries), [
      {
        id: 'qwen-code-dashscope-intl',
        preset: 'dashscope-intl',
        chatModel: 'qwen3-coder-plus',
        keySource: { kind: 'settings-file', file: settingsFile, path: 'env.OPENAI_API_KEY' },
      },
    ]);
    assert.deepEqual(result.notes, []);
    assert.ok(!JSON.stringify(result).includes(planted));
    const source = result.entries[0]?.keySource;
    assert.ok(source);
    assert.equal(await readImportedKey(source), planted);
  });

  it('imports OpenAI-compatible mode from ~/.qwen/.env', async () => {
    await freshDirs();
    const envFile = join(home, '.qwen', '.env');
    await put(
      envFile,
      `# qwen\nexport OPENAI_API_KEY="${planted}"\nOPENAI_BASE_URL=https://openrouter.ai/api/v1\nOPENAI_MODEL='qwen/qwen3-coder:free' # free\n`,
    );
    const result = await importQwenCode({ home, env: {} });
    assert.equal(result.found, true);
    assert.deepEqual(withoutNames(result.entries), [
      {
        id: 'qwen-code-openrouter',
        preset: 'openrouter',
        chatModel: 'qwen/qwen3-coder:free',
        keySource: { kind: 'env-file', file: envFile, variable: 'OPENAI_API_KEY' },
      },
    ]);
    assert.ok(!JSON.stringify(result).includes(planted));
    assert.equal(await readImportedKey({ kind: 'env-file', file: envFile, variable: 'OPENAI_API_KEY' }), planted);
  });

  it('never reads a workspace .qwen/ or .env, nor any folder above it: only the home folder', async () => {
    await freshDirs();
    await put(
      join(home, '.qwen', '.env'),
      `OPENAI_API_KEY=${planted}-home\nOPENAI_BASE_URL=https://api.deepseek.com/v1\nOPENAI_MODEL=deepseek-chat\n`,
    );
    // A cloned repository (and the folder it sits in) pointing the user's key at its own server.
    const hostile = `OPENAI_BASE_URL=http://127.0.0.1.attacker.example:8000/v1\nOPENAI_MODEL=exfil\n`;
    await put(join(cwd, '.qwen', '.env'), hostile);
    await put(join(cwd, '.qwen', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'openai' } } }));
    await put(join(cwd, '.env'), hostile);
    await put(join(root, '.env'), hostile);
    // Passed the way the old API took the workspace folder: it must have no effect.
    const options = { home, cwd, env: { OPENAI_API_KEY: `${planted}-process` } };
    const result = await importQwenCode(options);
    assert.deepEqual(
      result.entries.map(({ preset, baseUrl, chatModel }) => ({ preset, baseUrl, chatModel })),
      [{ preset: 'deepseek', baseUrl: undefined, chatModel: 'deepseek-chat' }],
    );
    assert.ok(!JSON.stringify(result).includes('attacker'));

    // With no Qwen Code setup in the home folder, a workspace-only one is not a setup at all.
    await rm(join(home, '.qwen'), { recursive: true });
    assert.deepEqual(await importQwenCode(options), { found: false, entries: [], notes: [] });
  });

  it('lets the process environment win over .env and settings, and points at the variable', async () => {
    await freshDirs();
    await put(
      join(home, '.qwen', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'openai' } }, env: { OPENAI_API_KEY: planted } }),
    );
    const result = await importQwenCode({
      home,
      env: {
        OPENAI_API_KEY: `${planted}-process`,
        OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_MODEL: 'qwen2.5-coder:7b',
      },
    });
    assert.deepEqual(withoutNames(result.entries), [
      { id: 'qwen-code-ollama', preset: 'ollama', chatModel: 'qwen2.5-coder:7b', apiKeyEnv: 'OPENAI_API_KEY' },
    ]);
    assert.ok(!JSON.stringify(result).includes(planted));
  });

  it('imports every modelProviders model, each with its own key variable', async () => {
    await freshDirs();
    const settingsFile = join(home, '.qwen', 'settings.json');
    await put(
      settingsFile,
      JSON.stringify({
        security: { auth: { selectedType: 'openai' } },
        model: { name: 'qwen3-coder-plus' },
        env: { DASHSCOPE_API_KEY: planted, BAILIAN_CODING_PLAN_API_KEY: `${planted}-plan` },
        modelProviders: {
          openai: [
            {
              id: 'qwen3-coder-plus',
              name: 'Qwen3-Coder via Dashscope',
              envKey: 'DASHSCOPE_API_KEY',
              baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
            },
            {
              id: 'qwen3-coder-plus',
              envKey: 'BAILIAN_CODING_PLAN_API_KEY',
              baseUrl: 'https://coding.dashscope.aliyuncs.com/v1',
            },
            { id: 'qwen2.5-7b', envKey: 'OLLAMA_API_KEY', baseUrl: 'http://localhost:11434/v1' },
          ],
          anthropic: [{ id: 'claude-sonnet-4-20250514', envKey: 'ANTHROPIC_API_KEY' }],
        },
      }),
    );
    const result = await importQwenCode({ home, env: {} });
    assert.deepEqual(
      result.entries.map(({ id, preset, chatModel, baseUrl, keySource }) => ({
        id,
        preset,
        chatModel,
        baseUrl,
        keySource,
      })),
      [
        {
          id: 'qwen-code-dashscope-cn',
          preset: 'dashscope-cn',
          chatModel: 'qwen3-coder-plus',
          baseUrl: undefined,
          keySource: { kind: 'settings-file', file: settingsFile, path: 'env.DASHSCOPE_API_KEY' },
        },
        {
          // Alibaba's Coding Plan has presets of its own: its windows are counted, its requests included in plan.
          id: 'qwen-code-coding-plan-cn',
          preset: 'coding-plan-cn',
          chatModel: 'qwen3-coder-plus',
          baseUrl: undefined,
          keySource: { kind: 'settings-file', file: settingsFile, path: 'env.BAILIAN_CODING_PLAN_API_KEY' },
        },
        { id: 'qwen-code-ollama', preset: 'ollama', chatModel: 'qwen2.5-7b', baseUrl: undefined, keySource: undefined },
        {
          id: 'qwen-code-anthropic',
          preset: 'anthropic',
          chatModel: 'claude-sonnet-4-20250514',
          baseUrl: undefined,
          keySource: undefined,
        },
      ],
    );
    assert.equal(result.entries[0]?.name, 'Qwen3-Coder via Dashscope (from Qwen Code)');
    // Only the Anthropic model lacks a key (Ollama needs none).
    assert.equal(result.notes.length, 1);
    assert.match(result.notes[0] ?? '', /No API key found/);
    assert.ok(!JSON.stringify(result).includes(planted));
  });

  it('turns the Qwen OAuth login into a discontinued entry that points at alternatives', async () => {
    await freshDirs();
    const accessToken = 'oauth-ACCESS-token-PLANTED-0123456789';
    const refreshToken = 'oauth-REFRESH-token-PLANTED-0123456789';
    await put(
      join(home, '.qwen', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'qwen-oauth' } }, model: { name: 'coder-model' } }),
    );
    await put(
      join(home, '.qwen', 'oauth_creds.json'),
      JSON.stringify({
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: 'Bearer',
        resource_url: 'portal.qwen.ai',
        expiry_date: Date.UTC(2026, 3, 10),
      }),
    );
    const result = await importQwenCode({ home, env: {}, now: Date.UTC(2026, 4, 1) });
    assert.equal(result.found, true);
    assert.equal(result.entries.length, 1);
    const entry = result.entries[0];
    assert.equal(entry?.preset, 'qwen-oauth');
    assert.equal(entry?.id, 'qwen-code-qwen-oauth');
    assert.match(entry?.discontinued ?? '', /2026-04-15/);
    assert.match(entry?.discontinued ?? '', /qwen3-coder-plus/);
    assert.match(entry?.discontinued ?? '', /qwen\/qwen3-coder:free/);
    assert.match(entry?.discontinued ?? '', /Ollama/);
    assert.ok(result.notes.some((note) => note.includes('expired on 2026-04-10')));
    const text = JSON.stringify(result);
    assert.ok(!text.includes('PLANTED'));
  });

  it("offers the DashScope, Coding Plan and OpenRouter keys an OAuth user kept in Qwen Code's files, each for its vendor", async () => {
    await freshDirs();
    const settingsFile = join(home, '.qwen', 'settings.json');
    const envFile = join(home, '.qwen', '.env');
    await put(
      settingsFile,
      JSON.stringify({ security: { auth: { selectedType: 'qwen-oauth' } }, env: { DASHSCOPE_API_KEY: planted } }),
    );
    await put(envFile, `BAILIAN_CODING_PLAN_API_KEY=sk-sp-${planted}\nOPENROUTER_API_KEY=sk-or-${planted}\n`);
    const result = await importQwenCode({ home, env: {} });
    assert.deepEqual(
      result.entries.map((entry) => [entry.preset, entry.keySource, entry.baseUrl]),
      [
        ['qwen-oauth', undefined, undefined],
        ['coding-plan-intl', { kind: 'env-file', file: envFile, variable: 'BAILIAN_CODING_PLAN_API_KEY' }, undefined],
        ['dashscope-intl', { kind: 'settings-file', file: settingsFile, path: 'env.DASHSCOPE_API_KEY' }, undefined],
        ['openrouter', { kind: 'env-file', file: envFile, variable: 'OPENROUTER_API_KEY' }, undefined],
      ],
    );
    assert.ok(!JSON.stringify(result).includes(planted));
    // One already in the process environment is detectEnvKeys' to report, not a second entry.
    const withProcess = await importQwenCode({ home, env: { DASHSCOPE_API_KEY: 'sk-other' } });
    assert.ok(!withProcess.entries.some((entry) => entry.preset === 'dashscope-intl'));
  });

  it('takes a Coding Plan key kept as DASHSCOPE_API_KEY for the Coding Plan, not Model Studio', async () => {
    await freshDirs();
    await put(join(home, '.qwen', '.env'), `DASHSCOPE_API_KEY=sk-sp-${planted}\n`);
    const result = await importQwenCode({ home, env: {} });
    assert.deepEqual(
      result.entries.map((entry) => entry.preset),
      ['coding-plan-intl'],
    );
  });

  it('reports a malformed settings.json in a note and still imports the rest', async () => {
    await freshDirs();
    const settingsFile = join(home, '.qwen', 'settings.json');
    await put(settingsFile, `{ "env": { "OPENAI_API_KEY": "${planted}" },, }`);
    await put(join(home, '.qwen', 'oauth_creds.json'), '{ not json');
    await put(join(home, '.qwen', '.env'), `OPENAI_API_KEY=${planted}\nOPENAI_BASE_URL=https://api.deepseek.com/v1\n`);
    const result = await importQwenCode({ home, env: {} });
    assert.equal(result.found, true);
    assert.ok(
      result.notes.some((note) => note.includes(settingsFile) && note.includes('not valid JSON')),
      result.notes.join('\n'),
    );
    assert.ok(result.notes.some((note) => note.includes('oauth_creds.json')));
    assert.deepEqual(
      result.entries.map((e) => e.preset),
      ['deepseek'],
    );
    assert.ok(!JSON.stringify(result).includes(planted));
  });

  it('says what it cannot import', async () => {
    await freshDirs();
    await put(
      join(home, '.qwen', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'vertex-ai' } } }),
    );
    const result = await importQwenCode({ home, env: {} });
    assert.equal(result.found, true);
    assert.deepEqual(result.entries, []);
    assert.match(result.notes[0] ?? '', /vertex-ai/);
  });
});
