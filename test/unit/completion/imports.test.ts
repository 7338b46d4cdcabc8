import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importCandidates, importExcerpt, importsOf, MAX_IMPORTS } from '../../../src/core/completion/imports';

describe('the project files a document imports', () => {
  it('reads every form of JavaScript and TypeScript import that names a project file, and no package', () => {
    const text = [
      "import React from 'react';",
      "import format, { pad, trim as cut, type Width } from './strings';",
      "import type { User } from '../model/user';",
      "import * as path from './paths.js';",
      "export { parse } from './parser';",
      "import './polyfill';",
      "const legacy = require('./legacy');",
      "const lazy = await import('./lazy');",
      'import {',
      '  first,',
      '  second,',
      "} from './multi';",
      "import { pad as padLeft } from './strings';",
      'export function local() { return 1; }',
    ].join('\n');
    assert.deepEqual(importsOf(text, 'typescript'), [
      { specifier: './strings', names: ['format', 'pad', 'trim', 'Width'] },
      { specifier: '../model/user', names: ['User'] },
      { specifier: './paths.js', names: [] },
      { specifier: './parser', names: ['parse'] },
      { specifier: './multi', names: ['first', 'second'] },
      { specifier: './polyfill', names: [] },
      { specifier: './legacy', names: [] },
      { specifier: './lazy', names: [] },
    ]);
  });

  it('reads Python imports, relative and top-level, and takes `from . import x` as module x', () => {
    const text = [
      'import os',
      'import app.config as config, app.db',
      'from .helpers import slugify, title_case as title',
      'from . import models',
      'from ..core.base import Base  # the base class',
      'from app.services import (Mailer',
    ].join('\n');
    assert.deepEqual(importsOf(text, 'python'), [
      { specifier: 'os', names: [] },
      { specifier: 'app.config', names: [] },
      { specifier: 'app.db', names: [] },
      { specifier: '.helpers', names: ['slugify', 'title_case'] },
      { specifier: '.models', names: [] },
      { specifier: '..core.base', names: ['Base'] },
      { specifier: 'app.services', names: ['Mailer'] },
    ]);
  });

  it('follows nothing in languages it does not know, at most a fixed number, and only from the top of the file', () => {
    assert.deepEqual(importsOf("import x from './x';", 'go'), []);
    const many = Array.from({ length: 12 }, (_, i) => `import m${i} from './m${i}';`).join('\n');
    assert.equal(importsOf(many, 'javascript').length, MAX_IMPORTS);
    const late = `${'const a = 1;\n'.repeat(400)}import late from './late';`;
    assert.deepEqual(importsOf(late, 'javascript'), []);
  });

  it('tries the files a specifier can name, the most likely first', () => {
    assert.deepEqual(
      importCandidates({ specifier: './strings', names: [] }, 'typescript')
        .map((c) => c.path)
        .slice(0, 3),
      ['strings.ts', 'strings.tsx', 'strings.js'],
    );
    assert.ok(
      importCandidates({ specifier: '../lib', names: [] }, 'javascript').some((c) => c.path === '../lib/index.js'),
      'a folder import reaches its index file',
    );
    assert.deepEqual(
      importCandidates({ specifier: './paths.js', names: [] }, 'typescript').map((c) => c.path),
      ['paths.js', 'paths.ts', 'paths.tsx', 'paths.mts', 'paths.cts'],
      "TypeScript's ESM style names the emitted .js for a .ts source",
    );
    assert.deepEqual(
      importCandidates({ specifier: './user.service', names: [] }, 'typescript')[0],
      { base: 'file', path: 'user.service.ts' },
      'a dotted name is a module name, not an extension',
    );
    for (const specifier of ['./secrets.json', './theme.css', './logo.svg', './.env'])
      assert.deepEqual(importCandidates({ specifier, names: [] }, 'javascript'), [], `${specifier} is not read`);
    assert.ok(
      importCandidates({ specifier: './anything', names: [] }, 'javascript').every((c) =>
        /\.[cm]?[jt]sx?$/.test(c.path),
      ),
      'only code files are ever tried',
    );
    assert.deepEqual(importCandidates({ specifier: '..core.base', names: [] }, 'python'), [
      { base: 'file', path: '../core/base.py' },
      { base: 'file', path: '../core/base/__init__.py' },
    ]);
    assert.deepEqual(importCandidates({ specifier: 'app.db', names: [] }, 'python'), [
      { base: 'root', path: 'app/db.py' },
      { base: 'root', path: 'app/db/__init__.py' },
      { base: 'file', path: 'app/db.py' },
      { base: 'file', path: 'app/db/__init__.py' },
    ]);
  });

  it('offers a short file whole, and of a long one the definitions imported, then its head', () => {
    const short = 'export function pad(s) {\n  return s;\n}\n';
    assert.equal(importExcerpt(short, ['pad'], 50), short);
    const filler = Array.from({ length: 100 }, (_, i) => `const filler${i} = ${i};`);
    const long = [
      '// strings.ts',
      ...filler,
      'export async function pad(text: string, width: number): Promise<string> {',
      '  return text.padStart(width);',
      '}',
      ...filler,
      'export class Trimmer {',
      '  trim(text: string) { return text.trim(); }',
      '}',
    ].join('\n');
    const excerpt = importExcerpt(long, ['pad', 'Trimmer', 'missing'], 12, 3).split('\n');
    assert.deepEqual(excerpt.slice(0, 6), [
      '// strings.ts',
      'const filler0 = 0;',
      'const filler1 = 1;',
      'const filler2 = 2;',
      'const filler3 = 3;',
      'const filler4 = 4;',
    ]);
    assert.ok(excerpt.includes('export async function pad(text: string, width: number): Promise<string> {'));
    assert.ok(excerpt.includes('  trim(text: string) { return text.trim(); }'));
    assert.equal(excerpt.filter((line) => line !== '').length, 12, 'no more lines than allowed');
    assert.ok(excerpt.includes(''), 'a blank line marks where lines were left out');
  });
});

describe('importsOf on hostile text', () => {
  it('scans a minified half-megabyte line of unfinished imports in bounded work', () => {
    const text = `import { a } from './a';${'import x '.repeat(60_000)}`;
    const started = performance.now();
    assert.deepEqual(importsOf(text, 'typescript'), [{ specifier: './a', names: ['a'] }]);
    console.log(`    ${text.length} characters of unfinished imports: ${(performance.now() - started).toFixed(1)} ms`);
  });
});
