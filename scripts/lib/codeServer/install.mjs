// @ts-check
/** Installing code-server from the npm registry into the cache dir. See ../codeServer.mjs for the whole. */

import { existsSync, readdirSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_CACHE_DIR,
  MARKER,
  NPM_INSTALL_TIMEOUT_MS,
  SETUP_HINT,
  childEnv,
  fail,
  majorOf,
  readJson,
  readMarker,
  resolveFlavor,
  run,
  seconds,
  which,
  withLock,
} from './common.mjs';
import { ensureNode, freshLog, npmCommand, npmEnv } from './node.mjs';
/** @typedef {import('./common.mjs').Flavor} Flavor */
/** @typedef {import('./common.mjs').Installation} Installation */
/** @typedef {import('./common.mjs').Logger} Logger */
/** @typedef {import('./node.mjs').NodeRuntime} NodeRuntime */

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
export async function installationFromMarker(fl, node, dir) {
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
export const entryPath = (dir) => path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * @param {Flavor} fl @param {NodeRuntime} node @param {string} dir @param {string} cacheDir @param {Logger} log
 * @returns {Promise<Installation>}
 */
export async function installCodeServer(fl, node, dir, cacheDir, log) {
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
export function checkSystemPackages() {
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
export async function placeRipgrepArchive(cacheDir, fl) {
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
export function diagnoseNpm(output, fl) {
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
export function ripgrepHint(output, fl) {
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
export async function verifyInstall(inst, fl, logFile) {
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
export function findNativeAddons(nodeModules) {
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
