import * as vscode from 'vscode';
import { redactingLog } from './core/redactingLog';

let channel: vscode.LogOutputChannel | undefined;

/** The "Switchboard" output channel. Everything written to it passes one redactor (key shapes and every loaded key). */
export function log(): vscode.LogOutputChannel {
  channel ??= redactingLog(vscode.window.createOutputChannel('Switchboard', { log: true }));
  return channel;
}
