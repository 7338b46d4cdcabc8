// `npm run test:electron`: the same integration suites under @vscode/test-electron, the standard
// runner, which downloads VS Code desktop. It needs internet (and a display or xvfb-run); where
// there is none, `npm test` runs the suites in code-server's extension host instead.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const step of [
  ['run', 'build'],
  ['exec', '--', 'node', 'scripts/build-tests.mjs'],
]) {
  if (spawnSync('npm', step, { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const version = process.argv.includes('--min') ? '1.100.3' : 'stable';
try {
  await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', join(root, 'test', 'fixtures', 'workspace')],
  });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`test:electron: ${message}`);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|download/i.test(message)) {
    console.error(
      'test:electron: VS Code could not be downloaded (no internet?). `npm test` runs the same suites in code-server.',
    );
  }
  process.exit(1);
}
