import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/harness/workbench';
import type { Metrics } from './metrics';

/** vsix.size_bytes: the packaged extension as a user downloads it. */
export function benchVsixSize(): Metrics {
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('npm run package failed');
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const bytes = statSync(join(REPO_ROOT, `${name}-${version}.vsix`)).size;
  return {
    'vsix.size_bytes': {
      value: bytes,
      unit: 'bytes',
      better: 'lower',
      note: 'switchboard VSIX from npm run package (production bundles, no node_modules); aim under 1 MB',
    },
  };
}
