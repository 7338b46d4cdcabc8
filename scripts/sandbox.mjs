// `npm run sandbox`: works on a fresh clone by itself — installs what is missing (see
// lib/bootstrap.mjs), then runs the sandbox proper (scripts/sandbox.ts) with the same arguments.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureReady } from './lib/bootstrap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureReady({ label: 'sandbox' });
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'scripts', 'sandbox.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
