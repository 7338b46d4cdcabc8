// @ts-check
/** Starting code-server, installing a VSIX into it, and finding ports. See ../codeServer.mjs for the whole. */

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CodeServerError, OUTPUT_TAIL_LINES, READY_TIMEOUT_MS, fail, run, seconds, sleep } from './common.mjs';
import { ensureCodeServer } from './install.mjs';
import { once, stopGroup, track } from './processes.mjs';
/** @typedef {import('./common.mjs').Flavor} Flavor */
/** @typedef {import('./common.mjs').Installation} Installation */
/** @typedef {import('./common.mjs').Logger} Logger */

/**
 * @typedef {object} RunningCodeServer
 * @property {string} url          `http://127.0.0.1:PORT/`
 * @property {number} port
 * @property {number} pid          pid of code-server, also the id of its process group
 * @property {import('node:child_process').ChildProcess} proc
 * @property {string} logFile      everything code-server printed
 * @property {string} version
 * @property {string} vscodeVersion
 * @property {() => Promise<void>} stop  kill the whole process group; idempotent
 */

/**
 * Start code-server on 127.0.0.1 without auth, wait until it serves the workbench, and return
 * a handle whose `stop()` kills it and everything it started.
 * @param {object} opts
 * @param {string | Flavor} opts.flavor
 * @param {string} [opts.folder]         folder to open (absolute or relative to cwd)
 * @param {string} opts.userDataDir      VS Code user data dir (settings go in `User/settings.json`)
 * @param {string} opts.extensionsDir
 * @param {Record<string, unknown>} [opts.settings]  written as the user settings
 * @param {number} [opts.port]           0 = pick a free port
 * @param {string[]} [opts.extraArgs]
 * @param {Logger} [opts.log]            status messages (default: stderr)
 * @param {string} [opts.cacheDir]
 * @param {number} [opts.timeoutMs]      how long to wait for it to serve (default 60 s)
 * @param {Record<string, string>} [opts.env]  extra environment for code-server and its extension host
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer({
  flavor,
  folder,
  userDataDir,
  extensionsDir,
  settings = {},
  port = 0,
  extraArgs = [],
  log = console.error,
  cacheDir,
  timeoutMs = READY_TIMEOUT_MS,
  env: extraEnv = {},
}) {
  const inst = await ensureCodeServer(flavor, { cacheDir, log });
  if (!userDataDir || !extensionsDir) fail('startCodeServer needs userDataDir and extensionsDir');
  userDataDir = path.resolve(userDataDir);
  extensionsDir = path.resolve(extensionsDir);
  if (folder) {
    folder = path.resolve(folder);
    if (!existsSync(folder)) fail(`folder to open does not exist: ${folder}`);
  }
  await fs.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fs.mkdir(extensionsDir, { recursive: true });
  await fs.writeFile(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  port = port ? await checkPortFree(port) : await freePort();

  const args = [
    inst.bin,
    '--config',
    inst.configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    ...(supportsFlag(inst, 'disable-getting-started-override') ? ['--disable-getting-started-override'] : []),
    // Without a folder code-server would reopen whatever this user data dir opened last.
    ...(folder ? [] : ['--ignore-last-opened']),
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const logFile = path.join(userDataDir, 'code-server.log');
  const out = createWriteStream(logFile, { flags: 'w' });
  // Own process group (detached), so stop() can signal code-server and all it spawned at once.
  // code-server keeps a heartbeat file and rotating copies of its output in $XDG_DATA_HOME/code-server
  // (~/.local/share by default), shared by every instance; give each instance its own.
  const env = { ...inst.env, ...extraEnv, XDG_DATA_HOME: path.join(userDataDir, 'code-server-data') };
  const proc = spawn(inst.nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = proc.pid;
  if (pid === undefined) {
    // spawn reports why asynchronously through 'error'
    const err = await new Promise((resolve) => proc.once('error', resolve));
    fail(`could not start code-server ${inst.version}: ${/** @type {Error} */ (err).message}`);
  }
  track(pid);
  const tail = outputTail(proc, out);
  /** @type {Promise<{ code: number | null, signal: string | null }>} */
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  // 'close' (not 'exit'): output can still arrive after the leader exits.
  proc.once('close', () => out.end());
  proc.on('error', () => {}); // failures surface through 'exit' and the output tail

  const url = `http://127.0.0.1:${port}/`;
  const stop = once(() => stopGroup(pid, exited));
  log(
    `starting code-server ${inst.version} (VS Code ${inst.vscodeVersion}, Node ${inst.nodeVersion}) at ${url} (pid ${pid}, log: ${logFile})`,
  );
  try {
    await waitUntilServing(url, exited, timeoutMs, inst, tail, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, pid, proc, logFile, version: inst.version, vscodeVersion: inst.vscodeVersion, stop };
}

/**
 * Install a packaged extension into an extensions dir, the way `code --install-extension` does.
 * A throwaway user data dir and config keep it from writing to ~/.local/share and ~/.config.
 * @param {object} opts
 * @param {string | Flavor} opts.flavor
 * @param {string} opts.vsix
 * @param {string} opts.extensionsDir
 * @param {string} [opts.cacheDir]
 * @param {Logger} [opts.log]
 * @returns {Promise<{ output: string }>}
 */
export async function installVsix({ flavor, vsix, extensionsDir, cacheDir, log = console.error }) {
  const inst = await ensureCodeServer(flavor, { cacheDir, log });
  vsix = path.resolve(vsix);
  if (!existsSync(vsix)) fail(`VSIX not found: ${vsix} (build it first, e.g. \`npx vsce package\`)`);
  extensionsDir = path.resolve(extensionsDir);
  await fs.mkdir(extensionsDir, { recursive: true });
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'code-server-install-'));
  try {
    // --force: reinstall a rebuilt VSIX even when its version is already installed.
    const res = await run(
      inst.nodeBin,
      [
        inst.bin,
        '--config',
        inst.configFile,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        vsix,
        '--force',
      ],
      {
        env: { ...inst.env, XDG_DATA_HOME: userDataDir },
      },
    );
    const output = res.output.trim();
    if (res.code !== 0 || !/successfully installed|already installed/i.test(output)) {
      // VS Code prints the cause as an "Error: ..." line before a generic "Failed Installing Extensions".
      const cause = output
        .split('\n')
        .find((line) => /^\s*\w*Error:/.test(line))
        ?.trim()
        .replace(/^Error: /, '');
      fail(
        `installing ${path.basename(vsix)} into code-server ${inst.version} failed: ${cause || lastLines(output, 1) || `exit ${res.code}`}`,
      );
    }
    return { output };
  } finally {
    await fs.rm(userDataDir, { recursive: true, force: true });
  }
}

/** @type {Map<string, boolean>} */
export const flagSupport = new Map();

/**
 * Whether this code-server version knows a CLI flag (they come and go between versions, and
 * code-server exits on unknown flags).
 * @param {Installation} inst @param {string} flag without leading dashes
 */
export function supportsFlag(inst, flag) {
  const key = `${inst.installDir}\0${flag}`;
  if (!flagSupport.has(key)) {
    const cli = readFileSync(path.join(path.dirname(inst.bin), 'cli.js'), 'utf8');
    flagSupport.set(key, cli.includes(`"${flag}":`));
  }
  return /** @type {boolean} */ (flagSupport.get(key));
}

/**
 * A port that is free on 127.0.0.1 right now: bind port 0, read what the kernel chose, release it.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fail with one line if the requested port can't be bound on 127.0.0.1.
 * @param {number} port
 * @returns {Promise<number>}
 */
export function checkPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (/** @type {NodeJS.ErrnoException} */ err) => {
      if (err.code === 'EADDRINUSE') reject(new CodeServerError(`port ${port} is in use: pass another with --port`));
      else if (err.code === 'EACCES')
        reject(new CodeServerError(`port ${port} needs privileges: pass a port above 1023 with --port`));
      else reject(new CodeServerError(`port ${port} can't be used (${err.code}): pass another with --port`));
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(port)));
  });
}

/**
 * Copy the child's output to its log file and keep the last lines for error messages.
 * @param {import('node:child_process').ChildProcess} proc
 * @param {import('node:fs').WriteStream} out
 * @returns {() => string} returns the last {@link OUTPUT_TAIL_LINES} lines
 */
export function outputTail(proc, out) {
  /** @type {string[]} */
  let lines = [];
  let partial = '';
  /** @param {Buffer} chunk */
  const onData = (chunk) => {
    out.write(chunk);
    const parts = (partial + chunk.toString()).split('\n');
    partial = /** @type {string} */ (parts.pop());
    lines = lines.concat(parts).slice(-OUTPUT_TAIL_LINES);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  return () => [...lines, partial].filter(Boolean).slice(-OUTPUT_TAIL_LINES).join('\n');
}

/** @param {string} text @param {number} n */
export const lastLines = (text, n) => text.split('\n').filter(Boolean).slice(-n).join('\n');

/**
 * Wait until code-server answers `/healthz`, then load `/` once: the VS Code server inside is
 * loaded lazily on the first workbench request, so this is where broken installs show up,
 * and it makes the first real page load fast.
 * @param {string} url
 * @param {Promise<{ code: number | null, signal: string | null }>} exited
 * @param {number} timeoutMs
 * @param {Installation} inst
 * @param {() => string} tail
 * @param {string} logFile
 */
export async function waitUntilServing(url, exited, timeoutMs, inst, tail, logFile) {
  const deadline = Date.now() + timeoutMs;
  /** @type {{ code: number | null, signal: string | null } | undefined} */
  let exit;
  exited.then((e) => (exit = e));
  const output = () => `\n--- last lines of code-server output (${logFile}) ---\n${tail() || '(none)'}`;
  for (const pathname of ['healthz', '']) {
    let lastError = '';
    for (;;) {
      if (exit)
        fail(
          `code-server ${inst.version} exited during startup (${exit.code ?? exit.signal}): see its output below${output()}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        fail(
          `code-server ${inst.version} did not serve ${url}${pathname} within ${seconds(timeoutMs)}${lastError ? ` (${lastError})` : ''}${output()}`,
        );
      try {
        const res = await fetch(url + pathname, {
          signal: AbortSignal.timeout(Math.min(left, pathname ? 2000 : left)),
        });
        await res.arrayBuffer();
        if (res.ok) break;
        lastError = `HTTP ${res.status}`;
      } catch (err) {
        // fetch wraps the socket error (ECONNREFUSED while code-server is still starting) in `cause`.
        const error = /** @type {Error & { cause?: { code?: string } }} */ (err);
        lastError = error.cause?.code ?? error.message;
      }
      await sleep(200);
    }
  }
}
