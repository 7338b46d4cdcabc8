// Compiles the integration suites for the extension host (CommonJS, `vscode` and mocha external).
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';

await rm('out/test', { recursive: true, force: true });
const suites = readdirSync('test/integration/suite').filter((name) => name.endsWith('.test.ts'));
await esbuild.build({
  entryPoints: ['test/integration/index.ts', ...suites.map((name) => `test/integration/suite/${name}`)],
  outbase: 'test/integration',
  outdir: 'out/test/integration',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
