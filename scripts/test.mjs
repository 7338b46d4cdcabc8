// `npm test`: builds, then runs the three tiers — unit (plain Node), integration (inside a real
// extension host) and e2e (the real workbench in headless Chromium) — the last two on the minimum
// and on a current VS Code. Ends with one line: "N passed, N failed".
//   --tier unit|integration|e2e   run one tier (repeatable)
//   --flavor min|current          run the editor tiers on one VS Code only (repeatable)
//   --no-build                    use the existing dist/, out/ and VSIX
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureReady } from './lib/bootstrap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const listArg = (name, all) => {
  const values = args.flatMap((arg, i) => (arg === `--${name}` ? [args[i + 1]] : []));
  for (const value of values) if (!all.includes(value)) fail(`--${name} must be one of ${all.join(', ')}`);
  return values.length ? values : all;
};
const tiers = listArg('tier', ['unit', 'integration', 'e2e']);
const flavors = listArg('flavor', ['min', 'current']);
// A fresh clone needs nothing but this command: system packages for the editor tiers, then node_modules.
ensureReady({ system: tiers.some((tier) => tier !== 'unit'), label: 'npm test' });
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
const totals = { passed: 0, failed: 0 };
const lines = [];

function fail(message) {
  console.error(`npm test: ${message}`);
  process.exit(2);
}

/** Runs a command with inherited output; resolves with its exit code. Children die with us. */
function run(command, commandArgs, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    const forward = (signal) => child.kill(signal);
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsx = ['--import', 'tsx'];

function testFiles(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .filter((file) => String(file).endsWith('.test.ts'))
    .map((file) => join(dir, String(file)))
    .sort();
}

/** Runs node's test runner, reading the counts from a TAP copy of its report. */
async function nodeTests(label, files, env = {}, extraArgs = []) {
  const tap = join(scratch, `${label.replace(/\W+/g, '-')}.tap`);
  const code = await run(
    process.execPath,
    [
      ...tsx,
      '--test',
      '--test-concurrency=1',
      ...extraArgs,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  let text = '';
  try {
    text = readFileSync(tap, 'utf8');
  } catch {
    // No report: the runner itself failed to start; counted below.
  }
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  record(label, count('pass'), Math.max(count('fail') + count('cancelled'), code === 0 ? 0 : 1));
}

function record(label, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${label.padEnd(24)} ${passed} passed, ${failed} failed`);
}

try {
  if (!args.includes('--no-build')) {
    if ((await run(npm, ['run', 'build'])) !== 0) fail('the build failed (see above)');
    if (tiers.includes('integration') && (await run(process.execPath, ['scripts/build-tests.mjs'])) !== 0)
      fail('building the integration suites failed');
    if (tiers.includes('e2e') && (await run(process.execPath, ['scripts/package.mjs'])) !== 0)
      fail('packaging the VSIX failed');
  }
  // Times show in the machine's zone; the unit tests that do not name a zone expect UTC's.
  if (tiers.includes('unit')) await nodeTests('unit', testFiles('test/unit'), { TZ: 'UTC' });
  for (const flavor of flavors) {
    if (tiers.includes('integration')) {
      const summary = join(scratch, `integration-${flavor}.json`);
      const code = await run(process.execPath, [...tsx, 'test/harness/runIntegration.ts', summary], {
        SWITCHBOARD_FLAVOR: flavor,
      });
      let result = { passed: 0, failed: 1 };
      try {
        result = JSON.parse(readFileSync(summary, 'utf8'));
      } catch {
        // The driver died before writing a summary; count the tier as one failure.
      }
      record(`integration (${flavor})`, result.passed, Math.max(result.failed, code === 0 ? 0 : 1));
    }
    // A hung workbench fails its test after 5 minutes instead of hanging CI; the after hooks still stop every process.
    if (tiers.includes('e2e'))
      await nodeTests(`e2e (${flavor})`, testFiles('test/e2e'), { SWITCHBOARD_FLAVOR: flavor }, [
        '--test-timeout=300000',
      ]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log('');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
