import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExclude, DEFAULT_COMPLETION_EXCLUDE } from '../../../src/core/completion/excludeGlobs';

describe('the completion exclude list', () => {
  const excluded = compileExclude(DEFAULT_COMPLETION_EXCLUDE);

  it('covers the files that hold secrets, wherever they sit', () => {
    for (const path of [
      '/work/app/.env',
      '/work/app/.env.local',
      '/work/app/config/prod.env',
      '/work/app/.qwen/.env',
      'C:\\Users\\me\\app\\.ENV',
      '/home/me/.ssh/id_rsa',
      '/home/me/.ssh/id_ed25519.pub',
      '/work/app/certs/server.pem',
      '/work/app/tls.key',
      '/home/me/.npmrc',
      '/home/me/.netrc',
      '/home/me/.pypirc',
      '/home/me/.aws/credentials',
      '/home/me/.docker/config.json',
      '/work/app/gcp-credentials.json',
      '/home/me/.config/Code/User/settings.json',
      '/User/settings.json',
      '/root/.local/share/code-server/User/profiles/abc123/settings.json',
    ])
      assert.ok(excluded(path), path);
  });

  it('leaves ordinary source files alone', () => {
    for (const path of [
      '/work/app/src/env.ts',
      '/work/app/src/keyboard.ts',
      '/work/app/.vscode/settings.json',
      '/work/app/src/settings.json',
      '/work/app/README.md',
      '/work/app/docker/config.json',
    ])
      assert.equal(excluded(path), undefined, path);
  });

  it('names the pattern that matched, for the status bar', () => {
    assert.equal(excluded('/work/app/.env.production'), '.env*');
  });

  it('reads user patterns with **, ? and {a,b}, and ignores junk entries', () => {
    const custom = compileExclude(['secrets/**', 'deploy/*.{yml,yaml}', 'key?.txt', 42, '', null]);
    assert.equal(custom('/w/secrets/a/b/c.ts'), 'secrets/**');
    assert.equal(custom('/w/deploy/prod.yaml'), 'deploy/*.{yml,yaml}');
    assert.equal(custom('/w/key1.txt'), 'key?.txt');
    assert.equal(custom('/w/src/deploy.ts'), undefined);
  });

  it('matches a long path against many-star patterns without blowing up', () => {
    const custom = compileExclude(['**/**/**/**/**/**/*a*a*a*a*a*b']);
    const path = `/${Array.from({ length: 200 }, () => 'a'.repeat(50)).join('/')}`;
    assert.equal(custom(path), undefined);
  });
});
