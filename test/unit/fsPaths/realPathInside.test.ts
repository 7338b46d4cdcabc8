import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realpath } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { realPathInside } from '../../../src/core/fsPaths/realPathInside';

describe('realPathInside', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchboard-realpath-'));
    workspace = join(root, 'workspace');
    outside = join(root, 'home', '.ssh');
    await mkdir(join(workspace, 'src'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(workspace, 'src', 'util.ts'), 'export const a = 1;\n');
    await writeFile(join(outside, 'id_rsa'), 'PRIVATE KEY\n');
    // A cloned repository can carry symbolic links: a folder and a file that lead out of it.
    await symlink(outside, join(workspace, 'docs'), 'dir');
    await symlink(join(outside, 'id_rsa'), join(workspace, 'src', 'helper.ts'));
    await symlink(join(workspace, 'src'), join(workspace, 'lib'), 'dir');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('accepts a file inside the workspace, also through a link that stays inside', async () => {
    const real = await realpath(join(workspace, 'src', 'util.ts'));
    assert.equal(await realPathInside(join(workspace, 'src', 'util.ts'), [workspace]), real);
    assert.equal(await realPathInside(join(workspace, 'lib', 'util.ts'), [workspace]), real);
  });

  it('refuses a path that leads outside through a linked folder or a linked file', async () => {
    assert.equal(await realPathInside(join(workspace, 'docs', 'id_rsa'), [workspace]), undefined);
    assert.equal(await realPathInside(join(workspace, 'src', 'helper.ts'), [workspace]), undefined);
  });

  it('refuses a missing file and works when the workspace itself is reached through a link', async () => {
    assert.equal(await realPathInside(join(workspace, 'src', 'nope.ts'), [workspace]), undefined);
    const linkedWorkspace = join(root, 'linked-workspace');
    await symlink(workspace, linkedWorkspace, 'dir');
    assert.ok(await realPathInside(join(linkedWorkspace, 'src', 'util.ts'), [linkedWorkspace]));
    assert.equal(await realPathInside(join(linkedWorkspace, 'docs', 'id_rsa'), [linkedWorkspace]), undefined);
  });
});
