/**
 * How to write a line comment in each VS Code language: native FIM prompts carry the file path and
 * context snippets as comments at the top of the prefix, so they read as part of the file.
 */

/** A line-comment form: text goes between `start + ' '` and `end`. */
export interface CommentStyle {
  start: string;
  end: string;
}

const STYLE_GROUPS: readonly (readonly [CommentStyle, readonly string[]])[] = [
  [
    { start: '//', end: '' },
    ['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'java', 'c', 'cpp', 'csharp', 'go', 'rust'],
  ],
  [
    { start: '//', end: '' },
    ['swift', 'kotlin', 'scala', 'php', 'dart', 'jsonc', 'objective-c', 'objective-cpp', 'groovy', 'fsharp', 'zig'],
  ],
  [
    { start: '#', end: '' },
    ['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell'],
  ],
  [{ start: '#', end: '' }, ['elixir', 'julia', 'coffeescript', 'graphql', 'nix', 'terraform', 'dockercompose']],
  [{ start: '--', end: '' }, ['sql', 'lua', 'haskell', 'elm', 'ada']],
  [{ start: '%', end: '' }, ['latex', 'tex', 'erlang', 'matlab']],
  [{ start: ';', end: '' }, ['clojure', 'lisp', 'scheme', 'ini']],
  [{ start: '<!--', end: ' -->' }, ['html', 'xml', 'markdown', 'vue', 'svelte']],
  [{ start: '/*', end: ' */' }, ['css', 'scss', 'less']],
];

const STYLE_BY_LANGUAGE: ReadonlyMap<string, CommentStyle> = new Map(
  STYLE_GROUPS.flatMap(([style, ids]) => ids.map((id) => [id, style] as const)),
);

/**
 * The line-comment form for a language id, e.g. `{ start: '//', end: '' }` or
 * `{ start: '<!--', end: ' -->' }`; '//' for a language it does not know.
 */
export function commentSyntax(languageId: string): CommentStyle {
  const style = STYLE_BY_LANGUAGE.get(languageId) ?? { start: '//', end: '' };
  return { ...style };
}

/** One comment line holding `content`, with any closer inside it defused. */
export function commentLine(style: CommentStyle, content: string): string {
  let safe = content;
  const closer = style.end.trim();
  // A '-->' or '*/' inside a snippet would end the comment early and leak the rest as code.
  if (closer) safe = safe.split(closer).join(`${closer.slice(0, -1)} ${closer.slice(-1)}`);
  return safe ? `${style.start} ${safe}${style.end}\n` : `${style.start}${style.end}\n`;
}
