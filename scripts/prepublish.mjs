// `vscode:prepublish`: the production build, unless scripts/package.mjs has just run it.
import { spawnSync } from 'node:child_process';

if (process.env.SWITCHBOARD_PREBUILT !== '1') {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build:production'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
