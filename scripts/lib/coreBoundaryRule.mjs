// ESLint rule for src/core: every import must resolve inside src/core (or be a package other than
// `vscode`). Checked on the resolved path, so no relative spelling can reach an editor adapter.
import path from 'node:path';

/** @param {string} file @returns {string | undefined} the src/core folder that holds `file` */
function coreRootOf(file) {
  const parts = path.resolve(file).split(path.sep);
  for (let i = parts.length - 2; i >= 1; i--) {
    if (parts[i] === 'core' && parts[i - 1] === 'src') return parts.slice(0, i + 1).join(path.sep);
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const coreBoundary = {
  meta: {
    type: 'problem',
    docs: { description: 'src/core imports nothing outside src/core, and never vscode' },
    schema: [],
    messages: {
      editor: "src/core must not depend on the editor ('{{spec}}'); pass a small interface in from the adapter.",
      outside:
        "src/core must not import '{{spec}}': it resolves outside src/core. Move the code into core or pass it in.",
    },
  },
  create(context) {
    const file = context.filename;
    const coreRoot = coreRootOf(file);
    /** @param {import('estree').Node | null | undefined} source */
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec === 'vscode' || spec.startsWith('vscode/')) {
        context.report({ node: source, messageId: 'editor', data: { spec } });
        return;
      }
      if (!spec.startsWith('.') && !path.isAbsolute(spec)) return; // a package
      const target = path.resolve(path.dirname(file), spec);
      if (!coreRoot || !(target === coreRoot || target.startsWith(coreRoot + path.sep))) {
        context.report({ node: source, messageId: 'outside', data: { spec } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require')
          check(/** @type {any} */ (node.arguments[0]));
      },
    };
  },
};
