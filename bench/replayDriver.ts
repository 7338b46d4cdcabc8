/**
 * What the typing replays share (completionReplay.ts, yieldReplay.ts): a backend that makes the
 * real HTTP call and answers on the virtual clock, and the developer who types the keystrokes
 * through a completion strategy as VS Code would call it.
 */
import type { CompletionBackend, CompletionInput, Suggestion } from '../src/core/completion/engine';
import { ProviderError } from '../src/core/providers/providerError';
import type { FimRequest, FimResult, Provider } from '../src/core/providers/types';
import type { Clock } from '../src/core/clock';
import type { FakeClock } from '../test/harness/fakeClock';
import type { Keystroke } from './completionReplay';

/** What a latent backend reports as its requests go; all optional. */
export interface BackendTally {
  requested?(): void;
  /**
   * The real request's answer, which comes (and is billed) even when the caller gave up on it.
   * `sentAt` is when it went out: a server counts a request in the window it arrived in.
   */
  answered?(result: FimResult, sentAt: number): void;
  failed?(error: unknown, sentAt: number): void;
  /** The caller gave up before the latency was over. */
  cancelled?(): void;
}

/**
 * A completion backend that sends the real request at once and hands over its answer on the
 * virtual clock after `latencyMs`. Each real request stays in `pending` until it settles, so the
 * clock can wait for the socket before it moves on.
 */
export function latentBackend(
  id: string,
  provider: Pick<Provider, 'fim'>,
  clock: Clock,
  pending: Set<Promise<unknown>>,
  latencyMs: number,
  tally: BackendTally = {},
): CompletionBackend {
  return {
    id,
    model: 'emulator-coder',
    fim(request: FimRequest): Promise<FimResult> {
      tally.requested?.();
      const sentAt = clock.now();
      const real = provider.fim({ ...request, signal: undefined });
      pending.add(real);
      void real.then(
        (result) => {
          tally.answered?.(result, sentAt);
          pending.delete(real);
        },
        (error: unknown) => {
          tally.failed?.(error, sentAt);
          pending.delete(real);
        },
      );
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          clock.clearTimeout(timer);
          tally.cancelled?.();
          reject(new ProviderError({ kind: 'cancelled', providerId: id, message: 'cancelled' }));
        };
        const timer = clock.setTimeout(() => {
          request.signal?.removeEventListener('abort', onAbort);
          void real.then(resolve, reject);
        }, latencyMs);
        request.signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** How often ghost text was there when the developer paused, and how long it took to come. */
export interface PauseFigures {
  pauses: number;
  shownAtPauses: number;
  /** From each pause's start to ghost text; 0 where ghost text was already showing. */
  pauseToGhostMs: number[];
  /** The same, only for pauses where a request had to be answered first (nothing was served at once). */
  pauseToFreshGhostMs: number[];
}

export interface TypeAlongOptions {
  /** Gaps between keys at least this long are the pauses where a developer looks for a suggestion. */
  pauseMs: number;
  /** The clock's time at a keystroke's `at` of 0. */
  start?: number;
  /** Clock times, in order, at which `run` happens between the keys (the user asking chat). */
  interludes?: { at: readonly number[]; run(): void };
}

/**
 * Drives `complete` through the keystrokes as VS Code would: each key cancels the pending call
 * and starts a new one. A suggestion stays visible while the user types along it (VS Code keeps
 * showing a ghost text that still matches), whatever the strategy.
 */
export async function typeAlong(
  keys: readonly Keystroke[],
  clock: FakeClock,
  complete: (input: CompletionInput, signal: AbortSignal) => Promise<Suggestion[]>,
  options: TypeAlongOptions,
): Promise<PauseFigures> {
  const start = options.start ?? 0;
  const interludes = options.interludes;
  const figures: PauseFigures = { pauses: 0, shownAtPauses: 0, pauseToGhostMs: [], pauseToFreshGhostMs: [] };
  let visible: { text: string; shownAt: number } | undefined;
  let controller: AbortController | undefined;
  let previousText = '';
  let nextInterlude = 0;
  for (const [index, key] of keys.entries()) {
    const at = start + key.at;
    if (interludes)
      for (
        let time = interludes.at[nextInterlude];
        time !== undefined && time <= at;
        time = interludes.at[++nextInterlude]
      ) {
        await clock.advance(time - clock.now());
        interludes.run();
      }
    await clock.advance(at - clock.now());
    controller?.abort();
    // The ghost text survives keys that type what it shows.
    if (visible) {
      const typed = key.text.slice(previousText.length);
      visible =
        key.text.startsWith(previousText) && visible.text.startsWith(typed) && visible.text.length > typed.length
          ? { ...visible, text: visible.text.slice(typed.length) }
          : undefined;
    }
    previousText = key.text;
    const call = new AbortController();
    controller = call;
    void complete(
      {
        documentId: 'replay.js',
        text: key.text,
        offset: key.text.length,
        languageId: 'javascript',
        trigger: 'automatic',
      },
      call.signal,
    ).then(
      (suggestions) => {
        const first = suggestions[0];
        if (!call.signal.aborted && first) visible = { text: first.insertText, shownAt: clock.now() };
      },
      () => {},
    );
    const next = keys[index + 1];
    if (next && next.at - key.at >= options.pauseMs) {
      figures.pauses++;
      const carried = visible !== undefined;
      await clock.advance(next.at - key.at - 1);
      if (visible) {
        figures.shownAtPauses++;
        const wait = carried ? 0 : visible.shownAt - at;
        figures.pauseToGhostMs.push(wait);
        if (wait > 0) figures.pauseToFreshGhostMs.push(wait);
      }
    }
  }
  controller?.abort();
  await clock.advance(5_000);
  return figures;
}

/** A small seeded generator, so every run replays the same typing. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Gaps between a person's keys: log-normal around a 150 ms median (σ 0.5), clipped to 40 ms–`maxMs`. */
export function keyGaps(rand: () => number, maxMs: number): () => number {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return () => Math.min(maxMs, Math.max(40, Math.exp(Math.log(150) + 0.5 * normal())));
}
