/**
 * `tsx test/emulator/cli.ts [--port N] [--latency MS] [--tps N] [--key K] [--rpm N] [--rpd N]
 * [--quota-style openai|anthropic|dashscope|dashscope-free|deepseek|openrouter]`: runs the emulator
 * until Ctrl+C.
 */
import type { QuotaStyle } from './options';
import { startEmulator } from './server';

const QUOTA_STYLES: readonly QuotaStyle[] = [
  'openai',
  'anthropic',
  'dashscope',
  'dashscope-free',
  'deepseek',
  'openrouter',
];

function text(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function flag(name: string): number | undefined {
  const value = text(name) === undefined ? undefined : Number(text(name));
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

async function main(): Promise<void> {
  const style = text('quota-style');
  if (style !== undefined && !QUOTA_STYLES.includes(style as QuotaStyle))
    throw new Error(`--quota-style must be one of ${QUOTA_STYLES.join(', ')}`);
  const emulator = await startEmulator({
    port: flag('port') ?? 0,
    latencyMs: flag('latency') ?? 0,
    tokensPerSecond: flag('tps') ?? 40,
    ...(text('key') !== undefined && { apiKey: text('key') }),
    ...(flag('rpm') !== undefined && { requestsPerMinute: flag('rpm') }),
    ...(flag('rpd') !== undefined && { requestsPerDay: flag('rpd') }),
    ...(style !== undefined && { quotaStyle: style as QuotaStyle }),
  });
  console.log(`Switchboard emulator listening on ${emulator.url}`);
  for (const [backend, baseUrl] of Object.entries(emulator.baseUrls)) console.log(`  ${backend.padEnd(13)} ${baseUrl}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
