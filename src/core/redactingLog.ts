/**
 * The one place every log line passes: the output channel is wrapped so that no call site can
 * write a key, whether or not it remembered to redact.
 */
import { redactSecrets } from './providers/redact';

/** Channel methods that take text to write. */
const WRITERS: ReadonlySet<string> = new Set([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'append',
  'appendLine',
  'replace',
]);

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Wraps a log channel (any object with `info`, `warn`, … methods) so every argument is redacted text. */
export function redactingLog<T extends object>(channel: T): T {
  return new Proxy(channel, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof property === 'string' && WRITERS.has(property)) {
        return (...args: unknown[]) =>
          method.apply(
            target,
            args.map((arg) => redactSecrets(asText(arg))),
          );
      }
      return method.bind(target);
    },
  });
}
