// Bundles the extension (Node, CommonJS) and the webview (browser).
// `node esbuild.mjs [--production] [--watch]`
import * as esbuild from 'esbuild';
import { rm } from 'node:fs/promises';
import { writeNotices } from './scripts/lib/notices.mjs';

const production = process.argv.includes('--production');

// A production build starts clean so no development sourcemap is left beside it.
if (production) await rm('dist', { recursive: true, force: true });
const watch = process.argv.includes('--watch');

/** Heavy code (the SDKs) lives in its own file and is required on first use, so activation stays cheap. */
const lazyEntries = { providerRuntime: 'src/backends/providerRuntime.ts' };

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: { extension: 'src/extension.ts', ...lazyEntries },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // The lazy bundles are loaded with require() at run time, never inlined into extension.js.
    external: ['vscode', ...Object.keys(lazyEntries).map((name) => `./${name}.js`)],
    metafile: true,
  }),
  esbuild.context({
    ...common,
    entryPoints: { chat: 'src/webview/chat/main.ts', dashboard: 'src/webview/dashboard/main.ts' },
    outdir: 'dist/webview',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
  }),
]);

if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log('esbuild: watching…');
} else {
  const metafiles = [];
  for (const ctx of contexts) {
    const result = await ctx.rebuild();
    metafiles.push(result.metafile);
    for (const [file, info] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith('.map')) console.log(`  ${file.padEnd(32)} ${(info.bytes / 1024).toFixed(1)} KB`);
    }
    await ctx.dispose();
  }
  const packages = writeNotices(metafiles, 'dist/ThirdPartyNotices.txt');
  console.log(`  dist/ThirdPartyNotices.txt          ${packages} bundled packages`);
}
