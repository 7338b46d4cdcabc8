import type * as Runtime from './providerRuntime';

let runtime: typeof Runtime | undefined;

/** Loads dist/providerRuntime.js once, on the first request that needs a backend. */
export function loadProviderRuntime(): typeof Runtime {
  // esbuild leaves this require alone (it is marked external), so the SDKs load only here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time require of a separately bundled file is the point
  runtime ??= require('./providerRuntime.js') as typeof Runtime;
  return runtime;
}
