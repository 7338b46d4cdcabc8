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

  it('covers the other places keys and tokens are commonly kept', () => {
    for (const path of [
      // Kubernetes, Rails and Helm secrets beside the code.
      '/work/app/secrets.yaml',
      '/work/app/config/secrets.yml',
      '/work/app/secrets.json',
      // A private key under a name of its own, and GnuPG's keyring.
      '/home/me/.ssh/github_deploy',
      '/home/me/.gnupg/private-keys-v1.d/ABC.key',
      '/home/me/.gnupg/secring.gpg',
      // A remote cloned as https://user:token@host keeps the token here.
      '/work/app/.git/config',
      // GitHub CLI's token, Vault's token, HTTP basic-auth hashes.
      '/home/me/.config/gh/hosts.yml',
      '/home/me/.vault-token',
      '/srv/site/.htpasswd',
      // Terraform state and variables hold provider secrets in clear text.
      '/work/infra/terraform.tfstate',
      '/work/infra/terraform.tfstate.backup',
      '/work/infra/prod.tfvars',
      // Java keystores, Maven server passwords, MySQL and S3 client credentials.
      '/work/app/release.jks',
      '/work/app/upload.keystore',
      '/home/me/.m2/settings.xml',
      '/home/me/.my.cnf',
      '/home/me/.s3cfg',
      // VS Code's settings on a remote machine, and a workspace's MCP servers (tokens in headers).
      '/home/me/.vscode-server/data/Machine/settings.json',
      '/work/app/.vscode/mcp.json',
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
      '/work/app/src/secrets.ts',
      '/work/app/pom.xml',
      '/work/app/src/settings.xml',
      '/work/infra/main.tf',
      '/work/app/.gitignore',
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
