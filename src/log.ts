import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The "Switchboard" output channel. Never pass it a key: everything logged is redacted first. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Switchboard', { log: true });
  return channel;
}
