// Makes a fresh clone ready for `npm test` and `npm run sandbox` by themselves: the Debian packages
// the editor tiers need (installed when we are root, otherwise the one command to run is printed),
// and node_modules installed from package-lock.json when it is missing or no longer matches.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Why node_modules does not match package-lock.json, or undefined when it does. */
export function staleDependencies(dir = root) {
  const hidden = join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return 'node_modules is missing';
  let wanted;
  let installed;
  try {
    wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages ?? {};
    installed = JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {};
  } catch {
    return 'node_modules/.package-lock.json is unreadable';
  }
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || !path.startsWith('node_modules/')) continue;
    const have = installed[path];
    // Optional packages for other platforms (esbuild's, for one) are never installed here.
    if (!have) {
      if (entry.optional) continue;
      return `${path.slice('node_modules/'.length)} is not installed`;
    }
    if (have.version !== entry.version) {
      return `${path.slice('node_modules/'.length)} is ${have.version}, package-lock.json wants ${entry.version}`;
    }
  }
  return undefined;
}

/**
 * Installs what is missing. `system` also checks the Debian packages (browser, code-server's
 * build needs). Exits the process with a clear message when something cannot be done here.
 */
export function ensureReady({ system = true, label = 'setup' } = {}) {
  if (system) {
    const result = spawnSync('bash', [join(root, 'scripts', 'setup-system.sh')], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`${label}: the Debian packages above are needed first; then run this command again.`);
      process.exit(result.status ?? 1);
    }
  }
  const stale = staleDependencies();
  if (stale) {
    console.log(`${label}: ${stale}; running npm ci (about a minute) …`);
    const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`${label}: npm ci failed (see above).`);
      process.exit(result.status ?? 1);
    }
  }
}
