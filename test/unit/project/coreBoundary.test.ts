import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

// The rule that keeps src/core free of the editor is what lets it be tested in plain Node.
describe('src/core boundary', () => {
  it('fails lint when a core file imports vscode', async () => {
    const dir = mkdtempSync(join(process.cwd(), 'src/core/.boundary-'));
    try {
      const file = join(dir, 'bad.ts');
      writeFileSync(file, "import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
      const [result] = await new ESLint({ cwd: process.cwd() }).lintFiles([file]);
      const messages = result?.messages.map((m) => m.ruleId) ?? [];
      assert.ok(messages.includes('@typescript-eslint/no-restricted-imports'), `expected the boundary rule, got ${messages.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('allows the same import outside core', async () => {
    const [result] = await new ESLint({ cwd: process.cwd() }).lintText("import * as vscode from 'vscode';\nexport const x = vscode.version;\n", {
      filePath: join(process.cwd(), 'src/example.ts'),
    });
    assert.deepEqual(result?.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports'), []);
  });
});
