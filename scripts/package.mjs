// `npm run package`: builds the production bundles and writes switchboard-<version>.vsix.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);

// vsce runs `vscode:prepublish` (the production build) first. Everything is bundled, so
// node_modules is not shipped (--no-dependencies).
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('npm run package: vsce failed (see above).');
  process.exit(result.status ?? 1);
}
const bytes = statSync(out).size;
console.log(
  `${name}-${version}.vsix: ${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)${bytes > 1024 * 1024 ? ' — over the 1 MB aim' : ''}`,
);
