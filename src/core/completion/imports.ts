/**
 * The project files a document imports, found from its import statements alone: no language
 * server, no index, so it costs nothing while the user types. The files are offered to the snippet
 * picker beside recently edited ones, which is how a call into a helper the user has not opened
 * gets the helper's signature into the prompt.
 *
 * Only imports that name a project file are followed: relative specifiers in JavaScript and
 * TypeScript, relative and top-level module paths in Python. Packages (`react`, `os`) are not
 * project files and are left alone.
 */

/** One import statement: where it points, and the names it takes from there. */
export interface ImportRef {
  specifier: string;
  /** Names the importing file uses from the module; empty for `import * as x` or `import './x'`. */
  names: string[];
}

/** A file the import may name, relative to the importing file's folder or to the workspace root. */
export interface ImportCandidate {
  base: 'file' | 'root';
  /** Forward-slash path; may start with `../`. */
  path: string;
}

/** Imports followed per document, and the lines scanned for them: imports sit at the top. */
export const MAX_IMPORTS = 8;
const SCAN_LINES = 300;
/** A minified file has its whole text on the first line: the scan also stops after this many characters. */
const SCAN_CHARS = 30_000;

const SCRIPT_LANGUAGES: ReadonlySet<string> = new Set([
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'vue',
  'svelte',
]);
const ASSET = /\.(json|jsonc|css|scss|sass|less|svg|png|jpe?g|gif|webp|ico|html?|md|txt|wasm|ya?ml|toml|env)$/i;
const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export function followsImports(languageId: string): boolean {
  return SCRIPT_LANGUAGES.has(languageId) || languageId === 'python';
}

function headOf(text: string): string {
  let end = 0;
  for (let line = 0; line < SCAN_LINES && end !== -1; line++) end = text.indexOf('\n', end + (line ? 1 : 0));
  return (end === -1 ? text : text.slice(0, end)).slice(0, SCAN_CHARS);
}

function names(list: string): string[] {
  return list
    .split(',')
    .map((part) =>
      part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]
        ?.trim(),
    )
    .filter((name): name is string => !!name && /^[A-Za-z_$][\w$]*$/.test(name));
}

function scriptImports(head: string): ImportRef[] {
  const found: ImportRef[] = [];
  // import x, { a, b as c } from './m'; export { a } from './m'; import type { T } from './m'
  // The clause is bounded so each `import` word costs at most that much, whatever follows it.
  const fromClause = /\b(?:import|export)\s+(?:type\s+)?([^'";()=]{0,2000}?)\s*from\s*['"]([^'"\n]{1,500})['"]/g;
  for (const match of head.matchAll(fromClause)) {
    const clause = match[1] ?? '';
    const braces = /\{([^}]*)\}/.exec(clause);
    const taken = braces ? names(braces[1] ?? '') : [];
    const defaultName = /^([A-Za-z_$][\w$]*)\s*(?:,|$)/.exec(clause.trim())?.[1];
    if (defaultName && defaultName !== 'type') taken.unshift(defaultName);
    found.push({ specifier: match[2] ?? '', names: taken });
  }
  // import './side-effect'; require('./m'); import('./m')
  for (const match of head.matchAll(
    /\bimport\s*['"]([^'"\n]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  )) {
    found.push({ specifier: match[1] ?? match[2] ?? '', names: [] });
  }
  return found.filter((ref) => ref.specifier.startsWith('./') || ref.specifier.startsWith('../'));
}

function pythonImports(head: string): ImportRef[] {
  const found: ImportRef[] = [];
  for (const line of head.split('\n')) {
    const from = /^\s*from\s+(\.*[\w.]*)\s+import\s+\(?([^#)]*)/.exec(line);
    if (from) {
      const module = from[1] ?? '';
      const taken = names(from[2] ?? '');
      // `from . import util` names modules, not definitions.
      if (/^\.+$/.test(module)) for (const name of taken) found.push({ specifier: `${module}${name}`, names: [] });
      else found.push({ specifier: module, names: taken });
      continue;
    }
    const plain = /^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/.exec(line);
    if (plain)
      for (const part of (plain[1] ?? '').split(','))
        found.push({ specifier: part.trim().split(/\s+/)[0] ?? '', names: [] });
  }
  return found.filter((ref) => ref.specifier !== '');
}

/** The project imports of a document, first occurrence first, at most {@link MAX_IMPORTS}. */
export function importsOf(text: string, languageId: string): ImportRef[] {
  if (!followsImports(languageId)) return [];
  const head = headOf(text);
  const all = languageId === 'python' ? pythonImports(head) : scriptImports(head);
  const bySpecifier = new Map<string, ImportRef>();
  for (const ref of all) {
    const seen = bySpecifier.get(ref.specifier);
    if (seen) seen.names = [...new Set([...seen.names, ...ref.names])];
    else bySpecifier.set(ref.specifier, { specifier: ref.specifier, names: [...ref.names] });
  }
  return [...bySpecifier.values()].slice(0, MAX_IMPORTS);
}

/** The files an import may name, most likely first; the first that exists is the one. */
export function importCandidates(ref: ImportRef, languageId: string): ImportCandidate[] {
  if (languageId === 'python') {
    const dots = /^\.*/.exec(ref.specifier)?.[0].length ?? 0;
    const module = ref.specifier.slice(dots).split('.').filter(Boolean).join('/');
    if (!module) return [];
    const files = [`${module}.py`, `${module}/__init__.py`];
    if (dots === 0) {
      // Absolute: the workspace root is the usual source root; a sibling module is the other case.
      return [
        ...files.map((path) => ({ base: 'root' as const, path })),
        ...files.map((path) => ({ base: 'file' as const, path })),
      ];
    }
    const up = '../'.repeat(dots - 1);
    return files.map((path) => ({ base: 'file', path: `${up}${path}` }));
  }
  const specifier = ref.specifier.replace(/\/+$/, '');
  const paths: string[] = [];
  const extension = /\.[cm]?[jt]sx?$/.exec(specifier)?.[0];
  if (extension) {
    // TypeScript's ESM style names the emitted `.js`; the source next to it is `.ts`.
    const stem = specifier.slice(0, -extension.length);
    paths.push(specifier);
    if (extension.includes('j')) paths.push(...SCRIPT_EXTENSIONS.filter((e) => e.includes('t')).map((e) => stem + e));
  } else if (/\.(vue|svelte)$/.test(specifier)) {
    paths.push(specifier);
  } else if (ASSET.test(specifier)) {
    // Data and assets are not code; a JSON file may hold credentials. Only code files are ever read.
    return [];
  } else {
    paths.push(
      ...SCRIPT_EXTENSIONS.map((e) => specifier + e),
      ...SCRIPT_EXTENSIONS.map((e) => `${specifier}/index${e}`),
    );
  }
  return [...new Set(paths)].map((path) => ({ base: 'file', path: path.replace(/^\.\//, '') }));
}

/**
 * What of an imported file goes to the snippet picker: all of a short file; of a long one, the
 * definitions of the names imported, then its head, within `maxLines`.
 */
export function importExcerpt(
  text: string,
  names: readonly string[],
  maxLines: number,
  linesPerDefinition = 20,
): string {
  const lines = text.split('\n');
  if (lines.length <= maxLines) return text;
  const starts: number[] = [];
  for (const name of names) {
    const escaped = name.replace(/[$]/g, '\\$');
    const definition = new RegExp(
      `^\\s*(?:export\\s+)?(?:default\\s+)?(?:async\\s+)?(?:function\\*?|class|const|let|var|type|interface|enum|def|abstract\\s+class)\\s+${escaped}\\b`,
    );
    const line = lines.findIndex((candidate) => definition.test(candidate));
    if (line !== -1) starts.push(line);
  }
  const keep = new Set<number>();
  for (const start of starts.sort((a, b) => a - b)) {
    for (let line = start; line < Math.min(lines.length, start + linesPerDefinition); line++) {
      if (keep.size >= maxLines) break;
      keep.add(line);
    }
  }
  for (let line = 0; keep.size < maxLines && line < lines.length; line++) keep.add(line);
  const ordered = [...keep].sort((a, b) => a - b);
  const out: string[] = [];
  ordered.forEach((line, i) => {
    if (i > 0 && line !== (ordered[i - 1] ?? 0) + 1) out.push('');
    out.push(lines[line] ?? '');
  });
  return out.join('\n');
}
