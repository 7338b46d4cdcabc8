// @ts-check
/** Shared pieces: the flavors, errors, small helpers, locking and install markers. See ../codeServer.mjs for the whole. */

import { spawn } from 'node:child_process';
import { createWriteStream, realpathSync, statSync, accessSync, constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Where installs are cached unless the caller says otherwise. */
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');

/**
 * The code-server builds we test against. `min` is the oldest VS Code the extension supports,
 * `current` the newest stable one verified here.
 *
 * `ripgrepPkg` is the `@vscode/ripgrep` version pinned by code-server's
 * `lib/vscode/npm-shrinkwrap.json`, and `ripgrepTag` is the `VERSION` constant in that package's
 * `lib/postinstall.js`. Together they name the archive its postinstall looks for in its cache
 * before trying GitHub (which is unreachable here), so they must match exactly.
 */
export const FLAVORS = Object.freeze({
  min: Object.freeze({
    codeServer: '4.100.3',
    node: 20,
    vscode: '1.100.3',
    ripgrepTag: 'v13.0.0-10',
    ripgrepPkg: '1.15.11',
  }),
  current: Object.freeze({
    codeServer: '4.104.0',
    node: 22,
    vscode: '1.104.0',
    ripgrepTag: 'v13.0.0-13',
    ripgrepPkg: '1.15.14',
  }),
});

/** @typedef {{ codeServer: string, node: number, vscode: string, ripgrepTag: string, ripgrepPkg: string }} Flavor */
/** @typedef {(msg: string) => void} Logger */
/**
 * @typedef {object} Installation
 * @property {string} bin            code-server's `out/node/entry.js`; run it as `nodeBin bin ...`
 * @property {string} nodeBin        the Node binary code-server must run on
 * @property {Record<string, string>} env  environment to run code-server with (right Node first on PATH)
 * @property {string} version        code-server version
 * @property {string} vscodeVersion  VS Code version it embeds
 * @property {string} nodeVersion    e.g. `v22.23.3`
 * @property {string} installDir     npm prefix of the install
 * @property {string} configFile     code-server config file to pass with `--config`
 */

export const MARKER = '.installed.json';
export const SETUP_HINT = '(or `bash scripts/setup-system.sh`)';
export const NPM_INSTALL_TIMEOUT_MS = 20 * 60_000;
export const READY_TIMEOUT_MS = 60_000;
export const STOP_GRACE_MS = 5_000;
export const OUTPUT_TAIL_LINES = 20;

/** Thrown for every expected failure; `message` is meant to be shown to the user as is. */
export class CodeServerError extends Error {
  /** @override */
  name = 'CodeServerError';
}

/** @param {string} line @returns {never} */
export function fail(line) {
  throw new CodeServerError(line);
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} ms */
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Accept a flavor name (`'min'`, `'current'`) or a flavor object.
 * @param {string | Flavor} flavor
 * @returns {Flavor}
 */
export function resolveFlavor(flavor) {
  if (typeof flavor === 'object' && flavor) return flavor;
  const found = FLAVORS[/** @type {keyof typeof FLAVORS} */ (flavor)];
  if (!found) fail(`unknown code-server flavor '${flavor}': use one of ${Object.keys(FLAVORS).join(', ')}`);
  return found;
}

/**
 * Find an executable on PATH, like `command -v`.
 * @param {string} cmd
 * @param {string} [pathVar]
 * @returns {string | undefined}
 */
export function which(cmd, pathVar = process.env.PATH ?? '') {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** @param {string} file @returns {Promise<any>} */
export async function readJson(file) {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

/** @param {string} version e.g. `v22.1.0` or `22.1.0` */
export const majorOf = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);

/**
 * The environment every child we start inherits: the caller's, minus variables that would
 * silently change what npm or code-server does.
 * - `npm_*`: when the caller itself runs under `npm run`, npm exports its config as env vars;
 *   a nested npm reads them back as config. `npm_config_user_agent` then still says the
 *   *outer* Node version, and code-server's postinstall refuses to install ("requires node v22").
 * - `VSCODE_*`: inside a VS Code terminal `VSCODE_IPC_HOOK_CLI` makes code-server hand the
 *   folder to that VS Code instead of starting a server.
 * - `PORT`, `CODE_SERVER_HOST`: code-server lets them override `--bind-addr`.
 * - `CODE_SERVER_CONFIG`, `PASSWORD`, `HASHED_PASSWORD`: the caller's own code-server setup.
 * - `NODE_OPTIONS`: loaders/flags meant for the caller's Node may not suit another Node version.
 * @param {string} nodeBin Node to put first on PATH (unless PATH already finds it first)
 * @returns {Record<string, string>}
 */
export function childEnv(nodeBin) {
  const drop =
    /^(npm_|vscode_)|^(init_cwd|port|code_server_host|code_server_config|password|hashed_password|node_options)$/i;
  /** @type {Record<string, string>} */
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !drop.test(key)) env[key] = value;
  }
  // Put the Node directory first on PATH only when needed: prepending e.g. /usr/bin would also
  // reorder every other tool (python shims, ...) for nothing.
  const onPath = which('node', env.PATH);
  if (!onPath || realpathSync(onPath) !== realpathSync(nodeBin)) {
    env.PATH = [path.dirname(nodeBin), env.PATH].filter(Boolean).join(path.delimiter);
  }
  return env;
}

/**
 * Run a command to completion, appending its combined output to `logFile`.
 * Not detached: if the caller is interrupted, the whole foreground group (npm and the
 * compilers it runs) gets the signal too.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd?: string, logFile?: string, timeoutMs?: number }} opts
 * @returns {Promise<{ code: number | null, signal: string | null, output: string, timedOut: boolean }>}
 */
export function run(cmd, args, { env, cwd, logFile, timeoutMs = 5 * 60_000 }) {
  return new Promise((resolve, reject) => {
    const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
    log?.write(`$ ${[cmd, ...args].join(' ')}\n`);
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    // Keep only the last 256 KiB in memory; the log file has everything.
    let output = '';
    let timedOut = false;
    /** @param {Buffer} chunk */
    const collect = (chunk) => {
      log?.write(chunk);
      output = (output + chunk.toString()).slice(-256 * 1024);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      log?.end();
      reject(new CodeServerError(`could not run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const done = () => resolve({ code, signal, output, timedOut });
      if (log) log.end(done);
      else done();
    });
  });
}

/**
 * Serialise installs of one directory across processes (two test runs started together
 * must not both `npm install` into the same prefix). The lock is a directory holding the
 * owner's pid; a lock whose owner is dead is stale and taken over.
 * @template T
 * @param {string} lockDir
 * @param {Logger} log
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withLock(lockDir, log, fn) {
  const pidFile = path.join(lockDir, 'pid');
  const deadline = Date.now() + NPM_INSTALL_TIMEOUT_MS + 60_000;
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
    }
    const owner = Number(await fs.readFile(pidFile, 'utf8').catch(() => ''));
    // No pid yet may just mean the owner is between mkdir and writeFile: give it a few seconds.
    const age =
      Date.now() -
      (await fs.stat(lockDir).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      ));
    if ((owner && !isAlive(owner)) || (!owner && age > 10_000)) {
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      fail(`timed out waiting for another install (lock ${lockDir}): if no install is running, delete that directory`);
    if (!announced)
      log(
        `waiting for another process (pid ${owner || '?'}) to finish installing (${path.basename(lockDir, '.lock')})…`,
      );
    announced = true;
    await sleep(1000);
  }
  await fs.writeFile(pidFile, String(process.pid));
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/**
 * Read an install marker; undefined if missing or unreadable (= not installed).
 * @param {string} dir
 */
export async function readMarker(dir) {
  try {
    return await readJson(path.join(dir, MARKER));
  } catch {
    return undefined;
  }
}
