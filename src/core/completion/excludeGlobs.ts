/**
 * Files that may hold secrets: no completion request is made in them and their text is never
 * context for another request (snippets, followed imports, automatic chat chips).
 *
 * Patterns are globs (`*`, `?`, `**`, `{a,b}`). A pattern without a `/` is matched against the
 * file name alone, as in `.gitignore`; one with a `/` against the end of the full path. Matching
 * ignores case: on the file systems where `.ENV` and `.env` are one file, both are excluded.
 */

/** The default of `switchboard.completion.exclude`. */
export const DEFAULT_COMPLETION_EXCLUDE: readonly string[] = [
  '.env*',
  '*.env',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.yarnrc.yml',
  '.netrc',
  '_netrc',
  '.pypirc',
  '.pgpass',
  '.git-credentials',
  'credentials',
  'credentials.*',
  '*credentials*.json',
  '.docker/config.json',
  '.kube/config',
  // Kubernetes, Rails and Helm secrets kept beside the code.
  'secrets.{json,yaml,yml,toml,ini}',
  // A private key under a name of its own, and GnuPG's keyring.
  '.ssh/*',
  '.gnupg/**',
  // A remote cloned as https://user:token@host keeps the token in the repository's config.
  '.git/config',
  // GitHub CLI and Vault tokens, HTTP basic-auth hashes.
  'gh/hosts.yml',
  '.vault-token',
  '.htpasswd',
  // Terraform state and variables hold provider secrets in clear text.
  '*.tfstate',
  '*.tfstate.backup',
  '*.tfvars',
  // Java keystores; Maven, MySQL and S3 client credentials.
  '*.jks',
  '*.keystore',
  '.m2/settings.xml',
  '.my.cnf',
  '.s3cfg',
  // VS Code's own user settings and MCP servers (tokens in headers and env), in any profile.
  'User/settings.json',
  'User/mcp.json',
  'User/profiles/*/settings.json',
  'User/profiles/*/mcp.json',
  // The same on a remote machine, and a workspace's own MCP servers.
  'Machine/settings.json',
  '.vscode/mcp.json',
];

const MAX_PATTERNS = 200;
const MAX_PATTERN_LENGTH = 300;
const MAX_BRACE_EXPANSIONS = 32;

interface CompiledPattern {
  source: string;
  /** Segments to match; `**` stands for any number of segments. */
  segments: (RegExp | '**')[];
  nameOnly: boolean;
}

/** Compiles `patterns` once; the returned function tells which pattern excludes a path, if any. */
export function compileExclude(patterns: readonly unknown[]): (path: string) => string | undefined {
  const compiled: CompiledPattern[] = [];
  for (const raw of patterns.slice(0, MAX_PATTERNS)) {
    if (typeof raw !== 'string') continue;
    const source = raw.trim();
    if (!source || source.length > MAX_PATTERN_LENGTH) continue;
    for (const expanded of expandBraces(source)) {
      const trimmed = expanded.replace(/^\/+|\/+$/g, '');
      if (!trimmed) continue;
      const nameOnly = !trimmed.includes('/');
      compiled.push({
        source,
        nameOnly,
        segments: trimmed.split('/').map((segment) => (segment === '**' ? '**' : segmentRegExp(segment))),
      });
    }
  }
  return (path: string) => {
    const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
    const name = segments.at(-1);
    if (!name) return undefined;
    for (const pattern of compiled) {
      const matched = pattern.nameOnly
        ? (pattern.segments[0] as RegExp).test(name)
        : matchesTail(pattern.segments, segments);
      if (matched) return pattern.source;
    }
    return undefined;
  };
}

/** Whether the pattern matches the end of the path: a leading `**` is implied. */
function matchesTail(pattern: (RegExp | '**')[], path: string[]): boolean {
  const full: (RegExp | '**')[] = pattern[0] === '**' ? pattern : ['**', ...pattern];
  // reach[j]: the first i pattern segments can consume exactly the first j path segments.
  let reach = new Array<boolean>(path.length + 1).fill(false);
  reach[0] = true;
  for (const segment of full) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    for (let j = 0; j <= path.length; j++) {
      if (segment === '**') next[j] = reach[j] === true || (j > 0 && next[j - 1] === true);
      else if (j > 0 && reach[j - 1] === true) next[j] = segment.test(path[j - 1] ?? '');
    }
    reach = next;
  }
  return reach[path.length] === true;
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (const ch of segment) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // Consecutive stars mean the same as one and would only add backtracking.
  return new RegExp(`^${source.replace(/(?:\[\^\/\]\*)+/g, '[^/]*')}$`, 'i');
}

/** `a.{js,ts}` → `a.js`, `a.ts`; nested and multiple groups, capped in number. */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  const close = open < 0 ? -1 : pattern.indexOf('}', open);
  if (open < 0 || close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const out: string[] = [];
  for (const option of pattern.slice(open + 1, close).split(',')) {
    for (const rest of expandBraces(tail)) {
      if (out.length >= MAX_BRACE_EXPANSIONS) return out;
      out.push(`${head}${option}${rest}`);
    }
  }
  return out;
}
