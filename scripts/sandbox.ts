/**
 * `npm run sandbox`: build the VSIX, install it into an isolated code-server, open the sample
 * workspace and print the URL (127.0.0.1 only). Backends come from your environment (API keys
 * in the usual variables, a local Ollama); with none, the provider emulator starts and is
 * configured as "Emulator (demo)". Ctrl+C stops everything this started.
 *   --flavor min|current   which VS Code (default: current)
 *   --port N               the workbench port (default: a free one)
 *   --emulator             add the emulator even when real backends were found
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectEnvKeys } from '../src/core/detection/envKeys';
import { detectLocalServers } from '../src/core/detection/localServers';
import { findPreset } from '../src/core/providers/presets';
import { startEmulator, type Emulator } from '../test/emulator/server';

const ROOT = resolve(__dirname, '..');
const SANDBOX = join(ROOT, '.sandbox');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const flavor = option('flavor') ?? 'current';
  if (flavor !== 'min' && flavor !== 'current') throw new Error('--flavor must be "min" or "current"');
  const port = option('port') ? Number(option('port')) : 0;

  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the VSIX failed (see above)');
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsix = join(ROOT, `${name}-${version}.vsix`);

  // The same detection the extension runs: keys in the environment (they stay there) and local servers.
  const providers: Record<string, unknown>[] = [];
  for (const key of detectEnvKeys(process.env)) {
    if (findPreset(key.presetId))
      providers.push({
        id: key.presetId,
        preset: key.presetId,
        apiKeyEnv: key.envVar,
        ...(key.baseUrl && { baseUrl: key.baseUrl }),
      });
  }
  for (const server of await detectLocalServers())
    providers.push({ id: server.presetId, preset: server.presetId, baseUrl: server.baseUrl });

  let emulator: Emulator | undefined;
  if (providers.length === 0 || process.argv.includes('--emulator')) {
    emulator = await startEmulator({ tokensPerSecond: 40, latencyMs: 80 });
    providers.push({
      id: 'emulator',
      name: 'Emulator (demo)',
      preset: 'custom',
      baseUrl: emulator.openaiBaseUrl,
      chatModel: 'emulator-chat',
      completionModel: 'emulator-coder',
      // A made-up price, so the usage meter has money to show in the demo.
      prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
    });
  }

  const { ensureCodeServer, installVsix, startCodeServer } = await import('./lib/codeServer.mjs');
  console.log(`sandbox: preparing code-server (${flavor}); the first run installs it, later runs reuse it …`);
  await ensureCodeServer(flavor, { log: (line: string) => console.log(`sandbox: ${line}`) });

  // A fresh extensions dir each time so the sandbox always runs the VSIX just built; the user
  // data dir is kept, so stored keys and settings changes survive a restart.
  const extensionsDir = join(SANDBOX, 'extensions');
  rmSync(extensionsDir, { recursive: true, force: true });
  const workspace = join(SANDBOX, 'workspace');
  if (!existsSync(workspace)) cpSync(join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(join(SANDBOX, 'user-data'), { recursive: true });
  await installVsix({ flavor, vsix, extensionsDir, log: () => {} });

  const server = await startCodeServer({
    flavor,
    port,
    folder: workspace,
    userDataDir: join(SANDBOX, 'user-data'),
    extensionsDir,
    settings: {
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // The sample workspace lives inside this repository; don't offer to open the parent repo.
      'git.openRepositoryInParentFolders': 'never',
      'switchboard.providers': providers,
      'switchboard.completion.provider': providers[0]?.id,
      'switchboard.chat.provider': providers[0]?.id,
    },
    log: () => {},
  });

  console.log('');
  console.log(`Switchboard sandbox (VS Code ${server.vscodeVersion}) is ready:`);
  console.log(`  ${server.url}?folder=${encodeURIComponent(workspace)}`);
  console.log(
    `  backends: ${providers.map((p) => p.name ?? p.id).join(', ')}${emulator ? ` (emulator at ${emulator.url})` : ''}`,
  );
  console.log(
    '  On the first run the walkthrough opens: its "Try It" shows ghost text in a sample with nothing typed.',
  );
  console.log('  Or open add.js and pause after "function add(a, b) {", or type "const greeting =" in scratch.js.');
  console.log('  Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nsandbox: stopping …');
    await server.stop();
    await emulator?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
