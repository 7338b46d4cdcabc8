import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { staleDependencies } from '../../../scripts/lib/bootstrap.mjs';

const stale = staleDependencies as (dir: string) => string | undefined;

/** A project folder with this lock file and, unless `installed` is undefined, this installed tree. */
function project(wanted: Record<string, object>, installed?: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bootstrap-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ packages: { '': {}, ...wanted } }));
  if (installed) {
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: installed }));
  }
  return dir;
}
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// `npm test` and `npm run sandbox` on a fresh clone run `npm ci` exactly when this says so.
describe('node_modules against package-lock.json', () => {
  const lock = {
    'node_modules/zod': { version: '3.25.0' },
    'node_modules/@esbuild/win32-x64': { version: '0.28.2', optional: true },
  };

  it('is stale when node_modules is missing', () => {
    assert.equal(stale(project(lock)), 'node_modules is missing');
  });

  it('is fresh when every package is installed at its locked version (other platforms’ optional ones aside)', () => {
    assert.equal(stale(project(lock, { 'node_modules/zod': { version: '3.25.0' } })), undefined);
  });

  it('is stale when a package is missing or at another version', () => {
    assert.match(stale(project(lock, {})) ?? '', /zod is not installed/);
    assert.match(
      stale(project(lock, { 'node_modules/zod': { version: '3.24.0' } })) ?? '',
      /zod is 3\.24\.0, package-lock\.json wants 3\.25\.0/,
    );
  });
});
