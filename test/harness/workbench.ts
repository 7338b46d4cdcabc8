/**
 * Starts a real VS Code (code-server) with a fresh user-data dir, extensions dir and a copy of
 * the sample workspace, for the integration and e2e tiers and the benchmarks.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type Flavor = 'min' | 'current';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export function flavorFromEnv(): Flavor {
  const value = process.env.SWITCHBOARD_FLAVOR ?? 'min';
  if (value !== 'min' && value !== 'current')
    throw new Error(`SWITCHBOARD_FLAVOR must be "min" or "current", not "${value}"`);
  return value;
}

export interface WorkbenchOptions {
  flavor: Flavor;
  settings: Record<string, unknown>;
  /** Install this VSIX into the fresh extensions dir (the e2e tier tests the packaged extension). */
  vsix?: string;
  env?: Record<string, string>;
  quiet?: boolean;
}

export interface Workbench {
  url: string;
  port: number;
  folder: string;
  userDataDir: string;
  logFile: string;
  vscodeVersion: string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and predictable in tests. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'editor.inlineSuggest.enabled': true,
  // The first-run walkthrough would take the editor's focus; the onboarding test turns it back on.
  'switchboard.showWelcome': false,
};

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-wb-'));
  const folder = join(root, 'workspace');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), folder, { recursive: true });
  // The code-server helper is an ES module shared with the plain-Node scripts.
  const { installVsix, startCodeServer } = await import('../../scripts/lib/codeServer.mjs');
  const log = options.quiet ? () => {} : (line: string) => console.error(`  [code-server] ${line}`);
  try {
    if (options.vsix) await installVsix({ flavor: options.flavor, vsix: options.vsix, extensionsDir, log });
    const server = await startCodeServer({
      flavor: options.flavor,
      folder,
      userDataDir,
      extensionsDir,
      settings: { ...QUIET_SETTINGS, ...options.settings },
      env: options.env,
      log,
    });
    return {
      url: server.url,
      port: server.port,
      folder,
      userDataDir,
      logFile: server.logFile,
      vscodeVersion: server.vscodeVersion,
      async stop() {
        await server.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** The workbench URL that runs extension tests inside code-server's extension host. */
export function testPayloadUrl(workbench: Workbench, extensionTestsPath: string): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${workbench.port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(REPO_ROOT)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  return `${workbench.url}?folder=${encodeURIComponent(workbench.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A made-up price, so the meter has real money to show. */
export const DEMO_PRICE = { '*': { inputPerMTok: 1, outputPerMTok: 5 } };

/** A user-defined backend entry on an emulator route, with the emulator's chat and coder models. */
export function emulatorEntry(
  id: string,
  name: string,
  baseUrl: string,
  more: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    id,
    name,
    preset: 'custom',
    baseUrl,
    chatModel: 'emulator-chat',
    completionModel: 'emulator-coder',
    ...more,
  };
}

export function emulatorProviderSettings(openaiBaseUrl: string): Record<string, unknown> {
  return {
    'switchboard.providers': [emulatorEntry('emulator', 'Emulator (demo)', openaiBaseUrl, { prices: DEMO_PRICE })],
    'switchboard.completion.provider': 'emulator',
    'switchboard.chat.provider': 'emulator',
  };
}

/** The emulator backend at made-up `prices`, under an overall daily budget of `usdPerDay`. */
export function budgetedEmulatorSettings(
  openaiBaseUrl: string,
  prices: Readonly<Record<string, unknown>>,
  usdPerDay: number,
): Record<string, unknown> {
  return {
    'switchboard.providers': [emulatorEntry('emulator', 'Emulator (demo)', openaiBaseUrl, { prices })],
    'switchboard.completion.provider': 'emulator',
    'switchboard.chat.provider': 'emulator',
    'switchboard.budget': { usdPerDay },
  };
}

/**
 * The emulator's minute made to start now, so a per-minute quota spent now resets a known while
 * later: returns when that minute ends.
 */
export function startEmulatorMinute(emulator: { configure(settings: { now: () => number }): void }): number {
  const shift = Date.now() % 60_000;
  emulator.configure({ now: () => Date.now() - shift });
  return Date.now() + 60_000;
}

/** "Qwen (demo)" on the emulator's OpenAI routes for completion and chat, and a local Ollama beside it. */
export function qwenWithLocalBackup(baseUrls: { openai: string; ollama: string }): Record<string, unknown> {
  return {
    'switchboard.providers': [
      emulatorEntry('qwen', 'Qwen (demo)', baseUrls.openai, { prices: DEMO_PRICE }),
      emulatorEntry('local', 'Ollama (demo)', baseUrls.ollama, { preset: 'ollama' }),
    ],
    'switchboard.completion.provider': 'qwen',
    'switchboard.chat.provider': 'qwen',
  };
}

/** A Coding Plan key in the variable Qwen Code's setup uses, as a user who came from it has. */
export const CODING_PLAN_KEY_ENV: Readonly<Record<string, string>> = {
  BAILIAN_CODING_PLAN_API_KEY: 'sk-sp-e2e-0123456789abcdef',
};

/** Alibaba's Coding Plan (international preset) on the emulator, with its models. */
export function codingPlanEntry(
  baseUrl: string,
  more: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    id: 'plan',
    preset: 'coding-plan-intl',
    baseUrl,
    // The emulator is not Alibaba's host: the variable goes there only when the entry names it.
    apiKeyEnv: 'BAILIAN_CODING_PLAN_API_KEY',
    chatModel: 'emulator-chat',
    completionModel: 'emulator-coder',
    ...more,
  };
}
