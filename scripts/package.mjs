// `npm run package`: builds the production bundles and writes switchboard-<version>.vsix, one line
// of progress per step (the whole build takes about 40 s).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runStep } from './lib/steps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

const steps = [
  ['type-checking', bin('typescript', 'bin/tsc'), ['--noEmit']],
  ['linting', bin('eslint', 'bin/eslint.js'), ['src', 'test', 'bench', 'scripts', 'esbuild.mjs', 'eslint.config.mjs']],
  [
    'checking formatting',
    bin('prettier', 'bin/prettier.cjs'),
    [
      '--check',
      'src/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.{ts,mjs}',
      'esbuild.mjs',
      'eslint.config.mjs',
    ],
  ],
  ['bundling (production)', join(root, 'esbuild.mjs'), ['--production']],
  // Everything is bundled, so node_modules is not shipped (--no-dependencies). The build above is
  // what `vscode:prepublish` would run; SWITCHBOARD_PREBUILT tells it not to run it twice.
  ['writing the VSIX', bin('@vscode/vsce', 'vsce'), ['package', '--no-dependencies', '--out', out]],
];

console.log(`package: building ${name}-${version}.vsix`);
for (const [index, [label, script, args]] of steps.entries()) {
  const code = await runStep(`${label} (${index + 1}/${steps.length})`, process.execPath, [script, ...args], {
    cwd: root,
    env: { ...process.env, SWITCHBOARD_PREBUILT: '1' },
    prefix: '  ',
  });
  if (code !== 0) {
    console.error(`npm run package: ${label} failed (see above).`);
    process.exit(code);
  }
}
const bytes = statSync(out).size;
console.log(
  `${name}-${version}.vsix: ${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)${bytes > 1024 * 1024 ? ' — over the 1 MB aim' : ''}`,
);
