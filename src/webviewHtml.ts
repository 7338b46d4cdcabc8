import * as vscode from 'vscode';

/**
 * The page shell every Switchboard webview uses: a strict Content-Security-Policy with a fresh
 * nonce (no inline script or style, nothing remote), stylesheets from media/ (one, or several in
 * order) and one script bundle from dist/webview/. `body` is static markup written here, never
 * model output.
 */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: { title: string; script: string; style: string | readonly string[]; body: string },
): string {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', page.script));
  const styles = (typeof page.style === 'string' ? [page.style] : page.style).map((name) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', name)),
  );
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((style) => `<link rel="stylesheet" href="${style.toString()}">`).join('\n')}
<title>${page.title}</title>
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Where a webview may load from: the bundle and media folders only. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}
