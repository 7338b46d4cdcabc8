import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { UsageLedger } from '../../../src/core/usage/usageLedger';
import { sampleRequest } from '../../harness/ledgerFixtures';

const NOW = Date.UTC(2026, 10, 22, 12);

describe('a usage ledger that cannot be opened', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ledger-unopenable-'));
  });
  afterEach(() => {
    mock.restoreAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails to open where a file stands in place of its folder', async () => {
    const blocked = join(dir, 'usage');
    writeFileSync(blocked, 'not a folder');
    await assert.rejects(UsageLedger.open({ dir: blocked, now: () => NOW }));
  });

  it('fails to open a folder it cannot list, rather than open it empty: its history would read as nothing spent', async () => {
    const earlier = await UsageLedger.open({ dir, now: () => NOW });
    earlier.append(sampleRequest({ costMicros: 4_000_000 }));
    await earlier.close();
    // The folder as a user without permission to read it sees it (root reads any folder).
    const readdir = fsPromises.readdir;
    mock.method(fsPromises, 'readdir', (path: string, ...rest: []) =>
      path === dir
        ? Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' }))
        : readdir(path, ...rest),
    );
    await assert.rejects(UsageLedger.open({ dir, now: () => NOW }), /EACCES/);
  });
});
