import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promptPath } from '../../../src/core/fsPaths/promptPath';

describe('promptPath: what a prompt calls a file', () => {
  it('keeps a workspace-relative path as it is', () => {
    assert.equal(promptPath('src/cart/total.ts'), 'src/cart/total.ts');
    assert.equal(promptPath('Untitled-1'), 'Untitled-1');
    assert.equal(promptPath('app/.env.example'), 'app/.env.example');
  });

  it('cuts an absolute path to the file name, whatever the platform wrote it as', () => {
    assert.equal(promptPath('/home/alice/notes/budget.py'), 'budget.py');
    assert.equal(promptPath('~/scratch/todo.ts'), 'todo.ts');
    assert.equal(promptPath('C:\\Users\\alice\\Desktop\\report.js'), 'report.js');
    assert.equal(promptPath('c:/Users/alice/report.js'), 'report.js');
    assert.equal(promptPath('\\\\fileserver\\alice\\share.go'), 'share.go');
    assert.equal(promptPath('vscode-userdata:/home/alice/.config/Code/User/settings.json'), 'settings.json');
  });

  it('keeps a path on one line', () => {
    assert.equal(promptPath('src/a\nPath: b.ts'), 'src/a Path: b.ts');
    assert.equal(promptPath('/home/alice/a\r\nb.ts'), 'a b.ts');
  });

  it('cuts a relative path to the file name when the workspace folder is above the home directory', () => {
    assert.equal(promptPath('alice/projects/app.ts', { folder: '/home', home: '/home/alice' }), 'app.ts');
    assert.equal(promptPath('home/alice/app.ts', { folder: '/', home: '/home/alice' }), 'app.ts');
    assert.equal(promptPath('Users/alice/app.ts', { folder: 'C:\\', home: 'c:\\users\\alice' }), 'app.ts');
    // The home folder itself, or a folder in it, or beside it: the relative path names no one.
    assert.equal(promptPath('projects/app.ts', { folder: '/home/alice', home: '/home/alice' }), 'projects/app.ts');
    assert.equal(promptPath('src/app.ts', { folder: '/home/alice/app', home: '/home/alice' }), 'src/app.ts');
    assert.equal(promptPath('src/app.ts', { folder: '/srv/app', home: '/home/alice' }), 'src/app.ts');
    assert.equal(promptPath('src/app.ts', { folder: '/home/al', home: '/home/alice' }), 'src/app.ts');
  });
});
