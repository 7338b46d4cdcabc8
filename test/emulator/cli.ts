/** `tsx test/emulator/cli.ts [--port N] [--latency MS] [--tps N]`: runs the emulator until Ctrl+C. */
import { startEmulator } from './server';

function flag(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: flag('port') ?? 0, latencyMs: flag('latency') ?? 0, tokensPerSecond: flag('tps') ?? 40 });
  console.log(`Switchboard emulator listening on ${emulator.url} (OpenAI-compatible base URL ${emulator.openaiBaseUrl})`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
