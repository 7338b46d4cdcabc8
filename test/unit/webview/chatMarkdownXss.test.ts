import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { renderMarkdown, StreamingMarkdown } from '../../../src/webview/chat/markdown';

/** Every element and attribute the renderer may produce; anything else fails the corpus. */
const ALLOWED_TAGS = new Set(
  'p h1 h2 h3 h4 h5 h6 ul ol li a strong em s code pre blockquote hr br table thead tbody tr th td div span button'.split(
    ' ',
  ),
);
const ALLOWED_ATTRIBUTES = new Set([
  'class',
  'data-href',
  'data-lang',
  'data-code-action',
  'role',
  'tabindex',
  'title',
  'aria-label',
  'type',
  'start',
]);
const DANGEROUS_TAGS = /<\s*\/?\s*(script|style|iframe|object|embed|img|svg|math|link|meta|form|base|frame|input)\b/i;

interface Case {
  markdown: string;
  /** Text that must survive as visible, inert text. */
  inert?: string;
  /** The target is hostile: no link may come out of it. */
  noLinks?: boolean;
}

const CORPUS: Case[] = [
  { markdown: '<script>alert(1)</script>', inert: '<script>alert(1)</script>' },
  { markdown: '<img src=x onerror=alert(1)>', inert: '<img src=x onerror=alert(1)>' },
  { markdown: '<svg onload=alert(1)>', inert: '<svg onload=alert(1)>' },
  { markdown: '<svg/onload=alert(1)>', inert: '<svg/onload=alert(1)>' },
  { markdown: '<svg><script>alert(1)</script></svg>', inert: '<svg><script>alert(1)</script></svg>' },
  { markdown: '<a href="javascript:alert(1)">x</a>', inert: '<a href="javascript:alert(1)">x</a>', noLinks: true },
  { markdown: '[x](javascript:alert(1))', inert: 'javascript:alert(1)', noLinks: true },
  { markdown: '[x](JaVaScRiPt:alert(1))', inert: 'JaVaScRiPt:alert(1)', noLinks: true },
  { markdown: '[x]( javascript:alert(1) )', inert: 'javascript:alert(1)', noLinks: true },
  { markdown: '[x](<javascript:alert(1)>)', noLinks: true },
  { markdown: '[x](&#106;avascript:alert(1))', noLinks: true },
  { markdown: '[x](javascript&colon;alert(1))', noLinks: true },
  { markdown: '[x](java\u0000script:alert(1))', noLinks: true },
  {
    markdown: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    inert: 'data:text/html',
    noLinks: true,
  },
  { markdown: '[x](data:image/png;base64,iVBORw0KGgo=)', noLinks: true },
  { markdown: '[x](vbscript:msgbox(1))', inert: 'vbscript:msgbox(1)', noLinks: true },
  { markdown: '[x](file:///etc/passwd)', noLinks: true },
  { markdown: '[x](//evil.example/x)', noLinks: true },
  { markdown: '[x](/\\evil.example/x)', noLinks: true },
  { markdown: '[x](command:workbench.action.terminal.new)', noLinks: true },
  { markdown: '![x](https://evil.example/img.png)', inert: '[image: x]' },
  {
    markdown: '![<img src=x onerror=alert(1)>](https://evil.example/a.png)',
    inert: '[image: <img src=x onerror=alert(1)>]',
  },
  { markdown: '![x](javascript:alert(1))', noLinks: true },
  { markdown: '<style>body{display:none}</style>', inert: '<style>body{display:none}</style>' },
  { markdown: '<div style="position:fixed;inset:0">x</div>', inert: '<div style="position:fixed;inset:0">x</div>' },
  { markdown: '<iframe src="https://evil.example"></iframe>', inert: '<iframe src="https://evil.example"></iframe>' },
  { markdown: '<iframe srcdoc="<script>alert(1)</script>">', inert: '<iframe srcdoc=' },
  { markdown: '<object data="x.swf"></object><embed src="x.swf">', inert: '<object data="x.swf">' },
  {
    markdown: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    inert: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  },
  { markdown: '&lt;script&gt;alert(1)&lt;/script&gt;', inert: '<script>alert(1)</script>' },
  { markdown: '&#60;script&#62;alert(1)&#60;/script&#62;', inert: '<script>alert(1)</script>' },
  { markdown: '&#x3C;img src=x onerror=alert(1)&#x3E;', inert: '<img src=x onerror=alert(1)>' },
  { markdown: '<javascript:alert(1)>', inert: '<javascript:alert(1)>', noLinks: true },
  { markdown: '<JAVASCRIPT:alert(1)>', noLinks: true },
  { markdown: '<vbscript:msgbox(1)>', noLinks: true },
  { markdown: '[x][evil]\n\n[evil]: javascript:alert(1)', inert: '[evil]: javascript:alert(1)', noLinks: true },
  { markdown: '[evil]: javascript:alert(1)\n\n[x][evil]', noLinks: true },
  { markdown: '```"><img src=x onerror=alert(1)>\ncode\n```', inert: 'code' },
  { markdown: '~~~<script>alert(1)</script>\nx\n~~~', inert: 'x' },
  { markdown: '```js\n</code></pre><script>alert(1)</script>\n```', inert: '</code></pre><script>alert(1)</script>' },
  { markdown: '    <script>alert(1)</script>', inert: '<script>alert(1)</script>' },
  { markdown: '`<script>alert(1)</script>`', inert: '<script>alert(1)</script>' },
  { markdown: '# <img src=x onerror=alert(1)> heading', inert: '<img src=x onerror=alert(1)> heading' },
  { markdown: '## **<img src=x onerror=alert(1)>**', inert: '<img src=x onerror=alert(1)>' },
  {
    markdown: '*<script>alert(1)</script>* and **<b onclick=alert(1)>bold</b>**',
    inert: '<b onclick=alert(1)>bold</b>',
  },
  { markdown: '[<img src=x onerror=alert(1)>](https://ok.example)', inert: '<img src=x onerror=alert(1)>' },
  { markdown: '[x](https://ok.example "\\" onmouseover=alert(1) x=\\"")' },
  { markdown: '[x](https://ok.example/"><script>alert(1)</script>)' },
  { markdown: '<https://ok.example/"onmouseover="alert(1)>' },
  { markdown: 'www.evil.example/<script>alert(1)</script>', inert: '<script>alert(1)</script>' },
  { markdown: '<!-- x --><script>alert(1)</script>', inert: '<!-- x --><script>alert(1)</script>' },
  {
    markdown: '<form action="https://evil.example"><button formaction="javascript:alert(1)">x</button></form>',
    inert: '<form action=',
  },
  { markdown: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', inert: '<meta http-equiv' },
  { markdown: '<link rel=stylesheet href=https://evil.example/x.css>', inert: '<link rel=stylesheet' },
  { markdown: '<base href="https://evil.example/">', inert: '<base href=' },
  { markdown: '<x onclick=alert(1)>click</x>', inert: '<x onclick=alert(1)>click</x>' },
  {
    markdown: '| <img src=x onerror=alert(1)> | b |\n|:---|---:|\n| <script>x</script> | [y](javascript:z) |',
    inert: '<script>x</script>',
    noLinks: true,
  },
  { markdown: '> <iframe src=https://evil.example>\n> more', inert: '<iframe src=https://evil.example>' },
  { markdown: '- <svg/onload=alert(1)>\n- [x](javascript:alert(1))', inert: '<svg/onload=alert(1)>', noLinks: true },
  { markdown: '1. <script>\n2. </script>', inert: '</script>' },
];

// linkedom is an ES module; this CommonJS test file can only import() it.
let document: Document;
before(async () => {
  ({ document } = (await import('linkedom')).parseHTML('<!DOCTYPE html><html><body></body></html>') as unknown as {
    document: Document;
  });
});
const hooks = { onLink: () => {}, onCode: () => {} };

function fragment(html: string): HTMLElement {
  const holder = document.createElement('div') as unknown as HTMLElement;
  holder.innerHTML = html;
  return holder;
}

/** http(s), or no scheme at all (a relative or file path). */
function isSafeTarget(target: string): boolean {
  return /^https?:\/\//i.test(target) || !/^[^/?#]*:/.test(target);
}

function assertInert(root: HTMLElement, label: string): void {
  assert.doesNotMatch(root.innerHTML, DANGEROUS_TAGS, `${label}: a dangerous tag in the markup`);
  for (const element of Array.from(root.querySelectorAll('*'))) {
    assert.ok(ALLOWED_TAGS.has(element.localName), `${label}: <${element.localName}> is not allowed`);
    for (const { name, value } of Array.from(element.attributes)) {
      assert.ok(!name.toLowerCase().startsWith('on'), `${label}: event handler attribute ${name}`);
      assert.ok(ALLOWED_ATTRIBUTES.has(name), `${label}: attribute ${name} on <${element.localName}>`);
      if (name === 'data-href') assert.ok(isSafeTarget(value), `${label}: link target ${value}`);
      if (name === 'class') assert.match(value, /^[\w -]*$/, `${label}: class ${value}`);
    }
  }
}

function assertCase(root: HTMLElement, { inert, noLinks }: Case, label: string): void {
  assertInert(root, label);
  if (inert) assert.ok(root.textContent?.includes(inert), `${label}: "${inert}" is not shown as text`);
  if (noLinks) assert.equal(root.querySelectorAll('[data-href]').length, 0, `${label}: a link survived`);
}

function stream(markdown: string, size: number, check: (root: HTMLElement, step: string) => void): HTMLElement {
  const root = document.createElement('div') as unknown as HTMLElement;
  const renderer = new StreamingMarkdown(root, hooks);
  for (let i = 0; i < markdown.length; i += size) {
    renderer.append(markdown.slice(i, i + size));
    check(root, `after ${i + size} chars`);
  }
  renderer.finish();
  check(root, 'finished');
  return root;
}

describe('chat markdown: XSS corpus', () => {
  it(`has a corpus of ${CORPUS.length} hostile inputs`, () => {
    assert.ok(CORPUS.length >= 50);
  });

  it('renderMarkdown keeps every hostile input inert', () => {
    for (const entry of CORPUS)
      assertCase(fragment(renderMarkdown(entry.markdown)), entry, JSON.stringify(entry.markdown));
  });

  it('renderMarkdown keeps the whole corpus inert as one answer', () => {
    const answer = CORPUS.map(({ markdown }) => markdown).join('\n\n');
    assertInert(fragment(renderMarkdown(answer)), 'whole corpus');
  });

  for (const size of [1, 3, 7]) {
    it(`StreamingMarkdown keeps it inert at every step, in chunks of ${size}`, () => {
      for (const entry of CORPUS) {
        const label = JSON.stringify(entry.markdown);
        const root = stream(entry.markdown, size, (node, step) => assertInert(node, `${label} ${step}`));
        assertCase(root, entry, label);
      }
    });
  }

  it('StreamingMarkdown keeps the whole corpus inert as one streamed answer', () => {
    const answer = CORPUS.map(({ markdown }) => markdown).join('\n\n');
    stream(answer, 4, (root, step) => assertInert(root, `whole corpus ${step}`));
  });

  it('a title with quotes neither ends the attribute nor reaches the page: the tooltip is the target', () => {
    const root = fragment(renderMarkdown('[x](https://ok.example "\\" onmouseover=alert(1) x=\\"")'));
    const link = root.querySelector('[data-href]');
    assert.equal(link?.getAttribute('data-href'), 'https://ok.example');
    assert.equal(link?.getAttribute('title'), 'https://ok.example');
    assert.equal(link?.getAttribute('onmouseover'), null);
  });

  it('keeps relative and web links, as data attributes only', () => {
    const root = fragment(
      renderMarkdown('[a](https://x.example/p?q=1) [b](src/app.ts#L3) [c](./docs/a.md) [d](C:/work/a.ts)'),
    );
    const targets = Array.from(root.querySelectorAll('a')).map((link) => link.getAttribute('data-href'));
    assert.deepEqual(targets, ['https://x.example/p?q=1', 'src/app.ts#L3', './docs/a.md', 'C:/work/a.ts']);
    for (const link of Array.from(root.querySelectorAll('a'))) assert.equal(link.getAttribute('href'), null);
  });
});
