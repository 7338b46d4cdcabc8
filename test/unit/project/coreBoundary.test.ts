import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const RULE = 'switchboard/core-boundary';

/** Lints `source` as a file in a fresh folder under src/core; returns the boundary rule's messages. */
async function lintInCore(source: string): Promise<string[]> {
  const dir = mkdtempSync(join(process.cwd(), 'src/core/boundary-check-'));
  try {
    const file = join(dir, 'bad.ts');
    writeFileSync(file, source);
    const [result] = await new ESLint({ cwd: process.cwd() }).lintFiles([file]);
    return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The rule that keeps src/core free of the editor is what lets it be tested in plain Node.
describe('src/core boundary', () => {
  it('fails lint when a core file imports vscode', async () => {
    const messages = await lintInCore("import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
    assert.equal(messages.length, 1, `expected the boundary rule, got ${messages.join(', ')}`);
    assert.match(messages[0] ?? '', /must not depend on the editor/);
  });

  it('fails lint when a core file reaches an adapter by a relative path (which imports vscode itself)', async () => {
    const messages = await lintInCore(
      "import { log } from '../../log';\nexport { KeyStore } from '../../backends/keyStore';\nexport const x = () => log;\n",
    );
    assert.equal(messages.length, 2, messages.join('\n'));
    for (const message of messages) assert.match(message, /resolves outside src\/core/);
  });

  it('fails lint on a dynamic import or require that leaves core', async () => {
    const messages = await lintInCore(
      "export const a = () => import('../../usage/usageMeter');\n// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const b = () => require('../../extension');\n",
    );
    assert.equal(messages.length, 2, messages.join('\n'));
  });

  it('lets core import core and packages', async () => {
    const messages = await lintInCore(
      "import { z } from 'zod';\nimport type { Clock } from '../clock';\nimport { redactSecrets } from '../providers/redact';\nexport const x = [z, redactSecrets] as unknown as Clock;\n",
    );
    assert.deepEqual(messages, []);
  });

  it('allows the editor outside core', async () => {
    const [result] = await new ESLint({ cwd: process.cwd() }).lintText(
      "import * as vscode from 'vscode';\nexport const x = vscode.version;\n",
      { filePath: join(process.cwd(), 'src/example.ts') },
    );
    assert.deepEqual(
      result?.messages.filter((m) => m.ruleId === RULE),
      [],
    );
  });
});
