// Runs a build step with one line of progress, keeping its output unless it fails.
import { spawn } from 'node:child_process';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs `command args` in `cwd`, printing "label … done in N s". Its output is shown only when it
 * fails, or always with `verbose`. Resolves with its exit code.
 */
export function runStep(label, command, args, { cwd, env = process.env, verbose = false, prefix = '' } = {}) {
  const started = Date.now();
  process.stdout.write(`${prefix}${label} …`);
  // While a step is silent, a dot every 5 s says it is still going.
  const ticker = setInterval(() => process.stdout.write('.'), 5_000);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (code, signal) => {
      clearInterval(ticker);
      const status = code ?? (signal ? 1 : 0);
      process.stdout.write(status === 0 ? ` done in ${seconds(Date.now() - started)}\n` : ` failed\n`);
      if (status !== 0 || verbose) process.stdout.write(Buffer.concat(output).toString('utf8'));
      resolve(status);
    });
  });
}
