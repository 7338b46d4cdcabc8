/**
 * What prompt order saves on backends with an implicit prefix cache. A developer types a stretch
 * in the middle of a real file (the rest of the file after the cursor, two sibling files offered as
 * snippets) through our completion engine, against the emulator with its prefix cache on, over the
 * real provider clients: once with the prompt order of before (the baseline, `promptOrder:
 * 'legacy'`) and once with today's. The backend's own usage says how many input tokens were cache
 * hits; each request is priced from the price table at its cache-hit rate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionEngine, DEFAULT_COMPLETION_SETTINGS, type CompletionBackend } from '../src/core/completion/engine';
import type { PromptOrder } from '../src/core/completion/prompt';
import { ProviderError } from '../src/core/providers/providerError';
import type { FimRequest, FimResult, Provider, Usage } from '../src/core/providers/types';
import { parseProviders } from '../src/core/settings/providerSettings';
import { priceRequest } from '../src/core/usage/pricing';
import { createProvider } from '../src/backends/providerRuntime';
import { startEmulator, type Emulator } from '../test/emulator/server';
import { FakeClock } from '../test/harness/fakeClock';
import { REPO_ROOT } from '../test/harness/workbench';
import { BACKEND_LATENCY_MS, MODEL_ACCURACY, oracle, typeSource } from './completionReplay';
import { round, type Metrics } from './metrics';

/** Not written for this benchmark: semver's Range class and its siblings, pinned by package-lock.json. */
export const CACHE_FILE = 'node_modules/semver/classes/range.js';
const SNIPPET_FILES = ['node_modules/semver/classes/comparator.js', 'node_modules/semver/classes/semver.js'];
/** The typed stretch: lines 241–360 of the file, about 3,500 characters, with 6,800 above and 5,300 below. */
const FIRST_LINE = 241;
const LAST_LINE = 360;
/** Prices are dated; a fixed date keeps the figure reproducible (and clear of DeepSeek's off-peak hours). */
const PRICED_AT = new Date('2026-10-01T04:00:00Z');

interface Route {
  name: string;
  preset: string;
  model: string;
  entry: (emulator: Emulator) => Record<string, unknown>;
}

/** DeepSeek's FIM endpoint (the server builds the template from prompt and suffix) and Model Studio's coder over chat. */
const ROUTES: Route[] = [
  {
    name: 'DeepSeek deepseek-v4-flash, /beta/completions',
    preset: 'deepseek',
    model: 'deepseek-v4-flash',
    entry: (emulator) => ({
      preset: 'deepseek',
      baseUrl: emulator.baseUrls.openai,
      fimBaseUrl: emulator.baseUrls.deepseekBeta,
    }),
  },
  {
    name: 'Model Studio qwen3-coder-flash (Singapore), hole-fill over chat',
    preset: 'dashscope-intl',
    model: 'qwen3-coder-flash',
    entry: (emulator) => ({ preset: 'dashscope-intl', baseUrl: emulator.baseUrls.dashscope }),
  },
];

export interface CacheRun {
  keys: number;
  requests: number;
  inputTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  /** Priced requests' cost in USD micros; requests the table could not price are counted apart. */
  micros: number;
  unpriced: number;
}

function provider(entry: Record<string, unknown>): Provider {
  const { providers, problems } = parseProviders([{ id: 'bench', ...entry }]);
  const config = providers[0];
  if (!config || problems.length > 0) throw new Error(`the bench provider entry did not parse: ${problems.join('; ')}`);
  return createProvider(config, 'sk-bench-not-a-real-key');
}

/** Every request reaches the emulator and is billed, as a real backend bills one the client gave up on. */
function billedBackend(
  route: Route,
  real: Provider,
  clock: FakeClock,
  pending: Set<Promise<unknown>>,
  usages: Usage[],
): CompletionBackend {
  return {
    id: 'bench',
    model: route.model,
    fim(request: FimRequest): Promise<FimResult> {
      // Streams are read to the end: one the engine closes early reports no usage, and reported usage
      // is what is measured. The engine still hears the text as it comes, as it did before.
      const listener = request.onText;
      const sent = real.fim({
        ...request,
        signal: undefined,
        ...(listener && { onText: (text: string, route?: string) => void listener(text, route) }),
      });
      pending.add(sent);
      void sent.then(
        (result) => {
          usages.push(result.usage);
          pending.delete(sent);
        },
        () => pending.delete(sent),
      );
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          clock.clearTimeout(timer);
          reject(new ProviderError({ kind: 'cancelled', providerId: 'bench', message: 'cancelled' }));
        };
        const timer = clock.setTimeout(() => {
          request.signal?.removeEventListener('abort', onAbort);
          void sent.then(resolve, reject);
        }, BACKEND_LATENCY_MS);
        request.signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

async function typeThrough(route: Route, order: PromptOrder): Promise<CacheRun> {
  const source = readFileSync(join(REPO_ROOT, CACHE_FILE), 'utf8');
  const lines = source.split('\n');
  const head = lines.slice(0, FIRST_LINE - 1).join('\n') + '\n';
  const typed = lines.slice(FIRST_LINE - 1, LAST_LINE).join('\n') + '\n';
  const tail = source.slice(head.length + typed.length);
  const snippets = SNIPPET_FILES.map((file) => ({
    path: file.replace('node_modules/semver/', ''),
    text: readFileSync(join(REPO_ROOT, file), 'utf8'),
  }));
  // A fresh emulator per run: one run's prompts must not warm the other's cache.
  const emulator = await startEmulator({ implicitPrefixCache: true, fimResponder: oracle(source) });
  try {
    const pending = new Set<Promise<unknown>>();
    const clock = new FakeClock(() => Promise.allSettled([...pending]));
    const usages: Usage[] = [];
    const backend = billedBackend(route, provider(route.entry(emulator)), clock, pending, usages);
    const engine = new CompletionEngine({
      settings: () => ({ ...DEFAULT_COMPLETION_SETTINGS, promptOrder: order }),
      clock,
    });
    const keys = typeSource(typed);
    let controller: AbortController | undefined;
    for (const key of keys) {
      await clock.advance(key.at - clock.now());
      // Each key cancels the pending call and starts a new one, as VS Code does.
      controller?.abort();
      const call = new AbortController();
      controller = call;
      const text = head + key.text + tail;
      void engine
        .complete(
          {
            documentId: 'range.js',
            text,
            offset: head.length + key.text.length,
            languageId: 'javascript',
            path: 'classes/range.js',
            snippets: () => snippets,
            trigger: 'automatic',
          },
          backend,
          call.signal,
        )
        .catch(() => {});
    }
    controller?.abort();
    await clock.advance(5_000);
    await Promise.allSettled([...pending]);
    const run: CacheRun = {
      keys: keys.length,
      requests: usages.length,
      inputTokens: 0,
      cacheReadTokens: 0,
      outputTokens: 0,
      micros: 0,
      unpriced: 0,
    };
    for (const usage of usages) {
      run.inputTokens += usage.inputTokens;
      run.cacheReadTokens += usage.cacheReadTokens;
      run.outputTokens += usage.outputTokens;
      const price = priceRequest({ presetId: route.preset, local: false, model: route.model, usage, at: PRICED_AT });
      if (price.micros === null || price.source === 'plan') run.unpriced++;
      else run.micros += price.micros;
    }
    if (run.unpriced > 0) throw new Error(`${route.name}: ${run.unpriced} requests had no price`);
    if (!usages.every((usage) => usage.reported)) throw new Error(`${route.name}: the backend did not report usage`);
    return run;
  } finally {
    await emulator.close();
  }
}

const share = (run: CacheRun) => (run.inputTokens === 0 ? 0 : run.cacheReadTokens / run.inputTokens);
const usdPer100Keys = (run: CacheRun) => run.micros / 1e6 / (run.keys / 100);
const describe = (run: CacheRun) =>
  `${run.requests} requests over ${run.keys} keys, ${run.inputTokens} input tokens of which ${run.cacheReadTokens} cache hits, ${run.outputTokens} output tokens, $${round(run.micros / 1e6, 6)}`;

export async function benchCompletionCache(): Promise<Metrics> {
  const results: { route: Route; legacy: CacheRun; stable: CacheRun }[] = [];
  for (const route of ROUTES) {
    const legacy = await typeThrough(route, 'legacy');
    const stable = await typeThrough(route, 'stable');
    console.log(`  ${route.name}\n    before: ${describe(legacy)}\n    now:    ${describe(stable)}`);
    results.push({ route, legacy, stable });
  }
  const [deepseek, studio] = results;
  if (!deepseek || !studio) throw new Error('a route did not run');
  const scenario = `${CACHE_FILE} lines ${FIRST_LINE}–${LAST_LINE} typed in place (the rest of the file after the cursor, ${SNIPPET_FILES.length} sibling files offered as snippets) at log-normal key intervals; model right ${MODEL_ACCURACY * 100}% of the time; the emulator's implicit prefix cache with each backend's documented rules; baseline = the prompt order before (promptOrder 'legacy') in the same run`;
  return {
    'completion.cache_hit_share': {
      value: round(share(deepseek.stable), 3),
      unit: 'ratio',
      better: 'higher',
      baseline: round(share(deepseek.legacy), 3),
      note: `${deepseek.route.name}: share of input tokens the backend reported as cache hits. ${scenario}. Now: ${describe(deepseek.stable)}. Before: ${describe(deepseek.legacy)}`,
    },
    'completion.cost_per_100_keys_usd': {
      value: round(usdPer100Keys(deepseek.stable), 6),
      unit: 'USD',
      better: 'lower',
      baseline: round(usdPer100Keys(deepseek.legacy), 6),
      note: `${deepseek.route.name}, priced from the bundled price data at its cache-hit rate (${PRICED_AT.toISOString()}); ratio to the baseline ${round(deepseek.stable.micros / deepseek.legacy.micros, 3)}`,
    },
    'completion.cache_hit_share_model_studio': {
      value: round(share(studio.stable), 3),
      unit: 'ratio',
      better: 'higher',
      baseline: round(share(studio.legacy), 3),
      note: `${studio.route.name}: ${scenario}. Now: ${describe(studio.stable)}. Before: ${describe(studio.legacy)}`,
    },
    'completion.cost_per_100_keys_usd_model_studio': {
      value: round(usdPer100Keys(studio.stable), 6),
      unit: 'USD',
      better: 'lower',
      baseline: round(usdPer100Keys(studio.legacy), 6),
      note: `${studio.route.name}, priced from Switchboard's price table at the implicit-cache rate (20% of input); ratio to the baseline ${round(studio.stable.micros / studio.legacy.micros, 3)}`,
    },
  };
}
