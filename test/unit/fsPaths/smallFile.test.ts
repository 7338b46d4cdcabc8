/**
 * Files read from the user's home (Qwen Code's settings, .env and login) are bounded: a FIFO does
 * not hang detection, and a file over the limit is refused, not read whole.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSmallFile } from '../../../src/core/fsPaths/smallFile';
import { importQwenCode } from '../../../src/core/detection/qwenCodeImport';

describe('small files from the home folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-small-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, and refuses one over the limit', async () => {
    writeFileSync(join(dir, 'ok.json'), '{"a":1}');
    writeFileSync(join(dir, 'big.json'), 'x'.repeat(2048));
    assert.deepEqual(await readSmallFile(join(dir, 'ok.json'), 1024), { kind: 'text', text: '{"a":1}' });
    assert.deepEqual(await readSmallFile(join(dir, 'big.json'), 1024), { kind: 'too-large' });
    assert.deepEqual(await readSmallFile(join(dir, 'none.json'), 1024), { kind: 'missing' });
  });

  it('a FIFO where Qwen Code keeps its settings does not hang detection', async () => {
    const home = join(dir, 'home');
    execFileSync('mkdir', ['-p', join(home, '.qwen')]);
    execFileSync('mkfifo', [join(home, '.qwen', 'settings.json')]);
    assert.deepEqual(await readSmallFile(join(home, '.qwen', 'settings.json'), 1024), { kind: 'not-a-file' });
    const found = await importQwenCode({ home, env: {} });
    assert.deepEqual(found.entries, []);
  });
});
