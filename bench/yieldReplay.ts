/**
 * Completion yields to chat (issue 13 item 4): the typing replay of completionReplay.ts against the
 * emulator limited to 20 requests per clock minute, with the user asking chat now and then, once
 * through the engine with its gears (throttle.ts) and once through the same engine unthrottled.
 * Both run on virtual time, and so does the emulator's quota clock, so half an hour of typing
 * replays in seconds and each minute window is exact. The gears know only what a real window
 * would: the rate-limit headers of the responses, read by the same code as in the editor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionEngine, DEFAULT_COMPLETION_SETTINGS, type CompletionBackend } from '../src/core/completion/engine';
import { CompletionThrottle, DEFAULT_THROTTLE_SETTINGS } from '../src/core/completion/throttle';
import { OpenAICompatibleProvider } from '../src/core/providers/openaiCompatible';
import { ProviderError } from '../src/core/providers/providerError';
import type { RateLimitSnapshot } from '../src/core/providers/rateLimitHeaders';
import type { Provider } from '../src/core/providers/types';
import { parseProviders } from '../src/core/settings/providerSettings';
import { evaluateLimits } from '../src/core/usage/limits';
import { startEmulator, type Emulator } from '../test/emulator/server';
import { FakeClock } from '../test/harness/fakeClock';
import { REPO_ROOT } from '../test/harness/workbench';
import { round, type Metrics } from './metrics';
import { BACKEND_LATENCY_MS, PAUSE_MS, REPLAY_FILE, typeSource, type Keystroke } from './completionReplay';
import { latentBackend, typeAlong } from './replayDriver';

/**
 * OpenRouter's limit on its free models (FREE_MODEL_RATE_LIMIT_RPM in its docs). It was 30 until
 * the typing-rhythm work of issue #14 sent fewer requests for the same keys: unthrottled, this
 * replay's busiest minute now has 29, so 30 no longer tested anything.
 */
export const REQUESTS_PER_MINUTE = 20;
/** Every few minutes of typing the user turns to chat for a short exchange: questions 10 s apart. */
export const CHAT_EVERY_MS = 3 * 60_000;
export const CHAT_QUESTIONS = 4;
const CHAT_GAP_MS = 10_000;
/** A Monday, 09:00:00 UTC: the replay starts on a whole minute. */
export const TYPING_PACE = 0.75;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Answers that start right and go wrong: nothing is served by type-ahead, the most requests a typist sends. */
function wrongAfterAWord(source: string): (prefix: string) => string {
  return (prefix) => {
    const tail = prefix.slice(-200);
    const found = source.indexOf(tail);
    const truth = found === -1 ? '' : source.slice(found + tail.length, found + tail.length + 3);
    return `${truth.split('\n', 1)[0] ?? ''}__unlikely();`;
  };
}

export interface YieldRun {
  /** 429 answers to completion requests and to chat requests. */
  completion429s: number;
  chat429s: number;
  completionRequests: number;
  chatRequests: number;
  /** Per clock minute of the replay: requests completion and chat got admitted. */
  windows: { completion: number; chat: number }[];
  /** The share of the window completion left for chat, worst minute. */
  worstShareLeftForChat: number;
  /** The share of the last window still free when the replay ended, chat's requests counted. */
  shareLeftAtEnd: number;
  pauses: number;
  shownAtPauses: number;
  held: number;
}

/** The real OpenAI-compatible client at the emulator, one attempt per request (a retry would be another 429). */
function client(emulator: Emulator, onRateLimit: (snapshot: RateLimitSnapshot) => void): Provider {
  const { providers } = parseProviders([
    { id: 'limited', preset: 'custom', baseUrl: emulator.openaiBaseUrl, completionModel: 'emulator-coder' },
  ]);
  const config = providers[0];
  if (!config) throw new Error('the bench provider entry did not parse');
  return new OpenAICompatibleProvider(config, undefined, {
    retry: { maxAttempts: 1 },
    hooks: { onRateLimit: (_id, snapshot) => onRateLimit(snapshot) },
  });
}

async function run(source: string, keys: readonly Keystroke[], gears: boolean): Promise<YieldRun> {
  const pending = new Set<Promise<unknown>>();
  const clock = new FakeClock(() => Promise.allSettled([...pending]), START);
  const emulator = await startEmulator({
    fimResponder: wrongAfterAWord(source),
    requestsPerMinute: REQUESTS_PER_MINUTE,
    now: () => clock.now(),
  });
  try {
    // The headers' reset is a duration from when they were read: moved onto the virtual clock.
    let snapshot: RateLimitSnapshot | undefined;
    const provider = client(emulator, (real) => {
      const shift = clock.now() - real.observedAt;
      const move = (window: RateLimitSnapshot['requests']) =>
        window && { ...window, ...(window.resetAt !== undefined && { resetAt: window.resetAt + shift }) };
      snapshot = { ...real, observedAt: clock.now(), requests: move(real.requests), tokens: move(real.tokens) };
    });
    const readings = () =>
      evaluateLimits({
        limits: {},
        usage: { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} },
        rateLimit: snapshot,
        now: clock.now(),
      }).readings;
    const throttle = new CompletionThrottle(clock, readings, () => DEFAULT_THROTTLE_SETTINGS);
    const tally = { completion429s: 0, chat429s: 0, completionRequests: 0, chatRequests: 0, held: 0 };
    const windows = new Map<number, { completion: number; chat: number }>();
    // Each request in the minute it reached the server, as the server's window counts it (an
    // answer can come in the next minute).
    const count = (feature: 'completion' | 'chat', sentAt: number) => {
      const minute = Math.floor(sentAt / 60_000);
      const window = windows.get(minute) ?? { completion: 0, chat: 0 };
      window[feature]++;
      windows.set(minute, window);
    };
    const backend = latentBackend('limited', provider, clock, pending, BACKEND_LATENCY_MS, {
      requested: () => tally.completionRequests++,
      answered: (_result, sentAt) => count('completion', sentAt),
      failed: (error, sentAt) => {
        if (ProviderError.is(error, 'rate-limited')) tally.completion429s++;
        else count('completion', sentAt);
      },
    });
    const askChat = () => {
      tally.chatRequests++;
      const sentAt = clock.now();
      const asked = (async () => {
        try {
          for await (const event of provider.chat({ messages: [{ role: 'user', content: 'What does this do?' }] }))
            void event;
          count('chat', sentAt);
        } catch (error) {
          if (ProviderError.is(error, 'rate-limited')) tally.chat429s++;
          else throw error;
        }
      })();
      pending.add(asked);
      void asked.finally(() => pending.delete(asked));
    };
    const engine = new CompletionEngine({
      settings: () => DEFAULT_COMPLETION_SETTINGS,
      clock,
      ...(gears && { beforeRequest: (_backend: CompletionBackend, signal: AbortSignal) => throttle.admit(signal) }),
      onEvent: (event) => {
        if (event.type === 'held') tally.held++;
      },
    });

    // The times the user asks chat, fixed in advance, the same for both runs.
    const last = START + (keys.at(-1)?.at ?? 0);
    const chatTimes: number[] = [];
    for (let at = START + CHAT_EVERY_MS / 2; at < last; at += CHAT_EVERY_MS)
      for (let question = 0; question < CHAT_QUESTIONS; question++) chatTimes.push(at + question * CHAT_GAP_MS);
    const { pauses, shownAtPauses } = await typeAlong(
      keys,
      clock,
      (input, signal) => engine.complete(input, backend, signal),
      { pauseMs: PAUSE_MS, start: START, interludes: { at: chatTimes, run: askChat } },
    );
    const all = [...windows.values()];
    const end = windows.get(Math.floor(clock.now() / 60_000)) ?? { completion: 0, chat: 0 };
    return {
      ...tally,
      windows: all,
      worstShareLeftForChat: Math.min(
        ...all.map((window) => (REQUESTS_PER_MINUTE - window.completion) / REQUESTS_PER_MINUTE),
      ),
      shareLeftAtEnd: (REQUESTS_PER_MINUTE - end.completion - end.chat) / REQUESTS_PER_MINUTE,
      pauses,
      shownAtPauses,
    };
  } finally {
    await emulator.close();
  }
}

export interface YieldComparison {
  file: string;
  minutes: number;
  gears: YieldRun;
  unthrottled: YieldRun;
}

export async function runYieldReplay(): Promise<YieldComparison> {
  const source = readFileSync(join(REPO_ROOT, REPLAY_FILE), 'utf8');
  // A fast typist: the replay's keystrokes at 4/3 the pace (median 112 ms between keys, about 85 words a minute).
  const keys = typeSource(source).map((key) => ({ ...key, at: Math.round(key.at * TYPING_PACE) }));
  const gears = await run(source, keys, true);
  const unthrottled = await run(source, keys, false);
  return { file: REPLAY_FILE, minutes: (keys.at(-1)?.at ?? 0) / 60_000, gears, unthrottled };
}

const share = (value: number) => round(value, 3);

/** `routing.*` figures for bench/results.json. */
export async function benchYieldToChat(): Promise<Metrics> {
  const { file, minutes, gears, unthrottled } = await runYieldReplay();
  const setup = `${file} typed at 4/3 the replay's pace (${minutes.toFixed(1)} min, answers that never match the next keys) against the emulator limited to ${REQUESTS_PER_MINUTE} requests per clock minute, the user asking chat ${CHAT_QUESTIONS} questions 10 s apart every ${CHAT_EVERY_MS / 60_000} min (${gears.chatRequests} in all); the gears read only the responses' rate-limit headers; default settings (threshold 80%, chat share 20%)`;
  const describe = (run: YieldRun) =>
    `${run.completionRequests} completion requests (${run.completion429s} answered 429), ${run.chatRequests} chat (${run.chat429s} answered 429)`;
  return {
    'routing.replay_429s': {
      value: gears.completion429s + gears.chat429s,
      unit: 'responses',
      better: 'lower',
      baseline: unthrottled.completion429s + unthrottled.chat429s,
      note: `${setup}. With gears: ${describe(gears)}, ${gears.held} automatic requests held. Baseline = the same engine without gears: ${describe(unthrottled)}`,
    },
    'routing.chat_share_left': {
      value: share(gears.worstShareLeftForChat),
      unit: 'share of the window',
      better: 'higher',
      baseline: share(unthrottled.worstShareLeftForChat),
      note: `the share of each minute's ${REQUESTS_PER_MINUTE} requests that completion left for chat, in the worst minute of the replay (${gears.windows.length} minutes; completion's most in one minute: ${Math.max(...gears.windows.map((w) => w.completion))} with gears, ${Math.max(...unthrottled.windows.map((w) => w.completion))} without). When the replay ended, ${share(gears.shareLeftAtEnd)} of the window was still free with gears, ${share(unthrottled.shareLeftAtEnd)} without`,
    },
    'routing.replay_shown_at_pauses_ratio': {
      value: share(gears.shownAtPauses / gears.pauses),
      unit: 'ratio',
      better: 'higher',
      baseline: share(unthrottled.shownAtPauses / unthrottled.pauses),
      note: `what yielding costs: pauses of ≥ ${PAUSE_MS} ms with ghost text showing before the next key, ${gears.shownAtPauses} of ${gears.pauses} with gears, ${unthrottled.shownAtPauses} of ${unthrottled.pauses} without`,
    },
  };
}
