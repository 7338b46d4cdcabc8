import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../../src/extension';

export const EXTENSION_ID = 'switchboard-dev.switchboard';

export async function activateSwitchboard(): Promise<SwitchboardApi> {
  const extension = vscode.extensions.getExtension<SwitchboardApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return extension.activate();
}

export function metric(name: string, value: number): void {
  const metrics = (globalThis as { switchboardMetrics?: Record<string, number> }).switchboardMetrics;
  if (metrics) metrics[name] = value;
}

/** Waits for a condition the extension reaches asynchronously (settings events, for one). */
export async function eventually<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}
