// Writes the licence notices of every npm package that esbuild bundled into the shipped files.
// The production build drops legal comments from the bundles, so the notices travel beside them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package directory an esbuild input path comes from, e.g. node_modules/@scope/name. */
function packageDir(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return undefined;
  const name = parts[at + 1]?.startsWith('@') ? parts.slice(at + 1, at + 3) : parts.slice(at + 1, at + 2);
  return [...parts.slice(0, at + 1), ...name].join('/');
}

/**
 * @param {import('esbuild').Metafile[]} metafiles
 * @param {string} outFile
 */
export function writeNotices(metafiles, outFile) {
  const dirs = new Set();
  for (const metafile of metafiles)
    for (const input of Object.keys(metafile.inputs)) {
      const dir = packageDir(input);
      if (dir) dirs.add(dir);
    }
  const sections = [...dirs].sort().map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenceFile = existsSync(dir)
      ? readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file))
      : undefined;
    const text = licenceFile
      ? readFileSync(join(dir, licenceFile), 'utf8').trim()
      : `Licence: ${manifest.license ?? 'see the package'}`;
    return `${manifest.name} ${manifest.version} (${manifest.license ?? 'unknown'})\n${'-'.repeat(60)}\n${text}\n`;
  });
  writeFileSync(outFile, `Switchboard bundles the following packages.\n\n${sections.join('\n')}`);
  return dirs.size;
}
