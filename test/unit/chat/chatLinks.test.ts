import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkTarget } from '../../../src/core/chat/linkTarget';

const ROOTS = ['/home/me/project'];

describe('chat links', () => {
  it('opens web pages', () => {
    assert.deepEqual(linkTarget('https://nodejs.org/api/fs.html', ROOTS), {
      kind: 'external',
      url: 'https://nodejs.org/api/fs.html',
    });
    assert.deepEqual(linkTarget('http://localhost:3000/', ROOTS), { kind: 'external', url: 'http://localhost:3000/' });
  });

  it('opens files inside the workspace, with a line when given', () => {
    assert.deepEqual(linkTarget('src/app.ts', ROOTS), { kind: 'file', paths: ['/home/me/project/src/app.ts'] });
    assert.deepEqual(linkTarget('./src/app.ts#L42', ROOTS), {
      kind: 'file',
      paths: ['/home/me/project/src/app.ts'],
      line: 42,
    });
    assert.deepEqual(linkTarget('src/my%20file.ts', ROOTS), {
      kind: 'file',
      paths: ['/home/me/project/src/my file.ts'],
    });
    assert.deepEqual(linkTarget('/home/me/project/README.md', ROOTS), {
      kind: 'file',
      paths: ['/home/me/project/README.md'],
    });
    assert.deepEqual(linkTarget('file:///home/me/project/a.ts#L3-L9', ROOTS), {
      kind: 'file',
      paths: ['/home/me/project/a.ts'],
      line: 3,
    });
    assert.deepEqual(linkTarget('a.ts', ['/w1', '/w2']), { kind: 'file', paths: ['/w1/a.ts', '/w2/a.ts'] });
  });

  it('refuses files outside the workspace and every other scheme', () => {
    for (const href of [
      '../../etc/passwd',
      '/etc/passwd',
      'file:///etc/passwd',
      '%2e%2e/%2e%2e/etc/passwd',
      '/home/me/project-other/x.ts',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'command:workbench.action.terminal.new',
      'vscode://file/etc/passwd',
      'vbscript:msgbox',
      '#heading',
      '',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      assert.equal(linkTarget(href, ROOTS).kind, 'rejected', href);
    }
    assert.equal(linkTarget('src/app.ts', []).kind, 'rejected', 'no workspace: no files');
  });
});
