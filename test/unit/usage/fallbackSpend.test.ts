import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../../src/core/usage/backendPrice';
import type { Amounts } from '../../../src/core/usage/money';
import {
  FallbackSpend,
  parseFallbackBudget,
  storedFallbacks,
  SWITCH_LANDS_MS,
  type StoredFallbacks,
} from '../../../src/core/usage/fallbackSpend';
import { utcDay } from '../../../src/core/usage/rollups';
import { FakeClock } from '../../harness/fakeClock';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 5, 9, 0);

/** A stand-in for the ledger's daily rollups: cost per backend, role and UTC day, in USD micros. */
class FakeLedger {
  private readonly cost = new Map<string, number>();
  constructor(private readonly clock: FakeClock) {}
  spend(backend: string, role: Role, micros: number, currency: 'USD' | 'CNY' = 'USD'): void {
    const key = [backend, role, utcDay(this.clock.now()), currency].join('|');
    this.cost.set(key, (this.cost.get(key) ?? 0) + micros);
  }
  costOn = (backend: string, roles: readonly Role[], day: string): Amounts => {
    const out: Amounts = {};
    for (const currency of ['USD', 'CNY'] as const)
      for (const role of roles) {
        const micros = this.cost.get([backend, role, day, currency].join('|'));
        if (micros) out[currency] = (out[currency] ?? 0) + micros;
      }
    return out;
  };
}

function setup() {
  const clock = new FakeClock(undefined, START);
  const ledger = new FakeLedger(clock);
  return { clock, ledger, spend: new FallbackSpend(clock, ledger.costOn) };
}

describe('the daily fallback budget', () => {
  it('reads the setting per currency and ignores what is not a daily amount', () => {
    assert.deepEqual(parseFallbackBudget({ usdPerDay: 1 }), { USD: 1_000_000 });
    assert.deepEqual(parseFallbackBudget({ usdPerDay: 0.5, cnyPerDay: 3 }), { USD: 500_000, CNY: 3_000_000 });
    assert.equal(parseFallbackBudget({ usdPerDay: -1 }), undefined);
    assert.equal(parseFallbackBudget({ usdPerDay: '1' }), undefined);
    assert.equal(parseFallbackBudget([]), undefined);
    assert.equal(parseFallbackBudget(undefined), undefined);
    assert.equal(parseFallbackBudget({}), undefined);
  });

  it('counts only what the target spent for the moved roles after the switch, and caps it', () => {
    const { ledger, spend } = setup();
    const budget = parseFallbackBudget({ usdPerDay: 1 });
    // Spent before the fallback, and by a role that did not move: not the fallback's.
    ledger.spend('ds', 'completion', 700_000);
    ledger.spend('ds', 'chat', 2_000_000);
    spend.began('or', 'ds', ['completion']);
    assert.deepEqual(spend.spentToday(), {});
    ledger.spend('ds', 'completion', 600_000);
    assert.deepEqual(spend.spentToday(), { USD: 600_000 });
    assert.equal(spend.reached(budget), undefined);
    ledger.spend('ds', 'completion', 400_000);
    assert.equal(spend.reached(budget), 'USD');
    // Another currency's spend never fills a dollar cap.
    assert.equal(spend.reached({ CNY: 5_000_000 }), undefined);
  });

  it('counts the requests under way on a fallback target: several started together cannot run past the cap', () => {
    const { ledger, spend } = setup();
    const budget = parseFallbackBudget({ usdPerDay: 1 });
    spend.began('or', 'ds', ['chat']);
    spend.settle(() => true);
    ledger.spend('ds', 'chat', 700_000);
    // Three answers streaming on the target, each held at its worst case; one on a backend no fallback reached.
    const held: Record<string, Amounts> = { ds: { USD: 3 * 150_000 }, other: { USD: 9_000_000 } };
    const inFlight = (backend: string) => held[backend] ?? {};
    assert.equal(spend.reached(budget), undefined, 'what was spent alone is below the cap');
    assert.equal(spend.reached(budget, inFlight), 'USD', 'with what is under way, the next request is held');
    assert.deepEqual(spend.underWay(inFlight), { USD: 450_000 });
    // When they end, their hold goes and what they really cost is what counts.
    held.ds = {};
    assert.equal(spend.reached(budget, inFlight), undefined);
    // A fallback that ended no longer sends requests to its target: what runs there is not the fallback's.
    held.ds = { USD: 450_000 };
    spend.endAll();
    assert.deepEqual(spend.underWay(inFlight), {});
  });

  it('keeps what an ended fallback spent for the rest of the day, and starts afresh at 00:00 UTC', async () => {
    const { clock, ledger, spend } = setup();
    const budget = parseFallbackBudget({ usdPerDay: 1 });
    spend.began('or', 'ds', ['chat']);
    spend.settle(() => true); // the switch reached the settings
    ledger.spend('ds', 'chat', 800_000);
    // The user moved chat elsewhere: the fallback ended, its spend still counts today.
    spend.settle(() => false);
    assert.deepEqual(spend.active(), []);
    ledger.spend('ds', 'chat', 5_000_000);
    assert.deepEqual(spend.spentToday(), { USD: 800_000 }, 'spend after the fallback ended is not a fallback’s');
    spend.began('or', 'gw', ['chat']);
    ledger.spend('gw', 'chat', 300_000);
    assert.equal(spend.reached(budget), 'USD');
    assert.equal(spend.shouldAnnounceCap(), true);
    assert.equal(spend.shouldAnnounceCap(), false, 'said once a day');

    await clock.advance(15 * HOUR); // past midnight UTC
    spend.settle(() => true);
    assert.deepEqual(spend.spentToday(), {}, 'a new day');
    assert.equal(spend.reached(budget), undefined);
    // The fallback still active counts from midnight, not from its baseline of yesterday.
    ledger.spend('gw', 'chat', 250_000);
    assert.deepEqual(spend.spentToday(), { USD: 250_000 });
    assert.deepEqual(
      spend.active().map(({ from, target, roles }) => ({ from, target, roles })),
      [{ from: 'or', target: 'gw', roles: ['chat'] }],
    );
    ledger.spend('gw', 'chat', 750_000);
    assert.equal(spend.reached(budget), 'USD');
    assert.equal(spend.shouldAnnounceCap(), true, 'said again on the new day');
  });

  it('begins before the settings move: a fallback is not ended while its switch is on its way, and counts from its start', () => {
    const { ledger, spend } = setup();
    const budget = parseFallbackBudget({ usdPerDay: 1 });
    spend.began('or', 'ds', ['completion', 'chat']);
    // A usage change before the settings say so: the roles are still on `or`.
    spend.settle((target, role) => target === 'or' && role === 'chat');
    assert.equal(spend.active().length, 1, 'still in force');
    // The first request after the switch, answered before the last setting was written.
    ledger.spend('ds', 'completion', 1_000_000);
    assert.equal(spend.reached(budget), 'USD');
    spend.settle((target) => target === 'ds');
    // Once the roles were seen on the target, moving them away ends it, and what it spent stays.
    spend.settle(() => false);
    assert.deepEqual(spend.active(), []);
    assert.deepEqual(spend.spentToday(), { USD: 1_000_000 });
  });

  it('a switch that never reaches the settings ends its fallback after a while', async () => {
    const { clock, spend } = setup();
    spend.began('or', 'ds', ['chat']);
    await clock.advance(SWITCH_LANDS_MS - 1);
    spend.settle(() => false);
    assert.equal(spend.active().length, 1);
    await clock.advance(1);
    spend.settle(() => false);
    assert.deepEqual(spend.active(), [], 'a workspace setting kept chat where it was');
  });

  it('a switch the settings refused is taken back: it counts nothing, and a landed fallback stays', () => {
    const { ledger, spend } = setup();
    spend.began('or', 'ds', ['chat']);
    spend.settle((target) => target === 'ds');
    ledger.spend('ds', 'chat', 500_000);
    spend.began('gw', 'ds', ['completion']);
    spend.withdraw('ds', ['completion']);
    ledger.spend('ds', 'completion', 2_000_000);
    assert.deepEqual(
      spend.active().map((fallback) => fallback.from),
      ['or'],
      'only the refused switch is gone',
    );
    assert.deepEqual(spend.spentToday(), { USD: 500_000 });
    // Nothing on its way to take back: the landed one is not touched.
    spend.withdraw('ds', ['chat']);
    assert.equal(spend.active().length, 1);
  });

  it('sending the roles back ends every fallback at once, landed or not', () => {
    const { spend } = setup();
    spend.began('or', 'ds', ['chat']);
    spend.settle(() => true);
    spend.began('gw', 'ds', ['completion']);
    spend.endAll();
    assert.deepEqual(spend.active(), []);
  });

  it('a zero budget allows no paid fallback at all', () => {
    const { spend } = setup();
    assert.equal(spend.reached(parseFallbackBudget({ usdPerDay: 0 })), 'USD');
  });
});

describe('the fallbacks, kept between windows and reloads', () => {
  /** The editor's global state as the store sees it: JSON in, JSON out, as a Memento keeps it. */
  function memento() {
    let kept: string | undefined;
    return {
      load: () => (kept === undefined ? undefined : (JSON.parse(kept) as unknown)),
      save: (value: StoredFallbacks) => void (kept = JSON.stringify(value)),
    };
  }

  it('a reload still counts the fallback begun before it, and still says the cap only once a day', () => {
    const clock = new FakeClock(undefined, START);
    const ledger = new FakeLedger(clock);
    const store = memento();
    const budget = parseFallbackBudget({ usdPerDay: 1 });
    const before = new FallbackSpend(clock, ledger.costOn, store);
    ledger.spend('ds', 'completion', 500_000);
    before.began('or', 'ds', ['completion']);
    ledger.spend('ds', 'completion', 1_200_000);
    assert.equal(before.reached(budget), 'USD');
    assert.equal(before.shouldAnnounceCap(), true);

    const reloaded = new FallbackSpend(clock, ledger.costOn, store);
    assert.deepEqual(reloaded.active(), [
      {
        from: 'or',
        target: 'ds',
        roles: ['completion'],
        day: utcDay(START),
        baseline: { USD: 500_000 },
        switching: START,
      },
    ]);
    assert.deepEqual(reloaded.spentToday(), { USD: 1_200_000 }, 'not what was spent before the switch');
    assert.equal(reloaded.reached(budget), 'USD');
    assert.equal(reloaded.shouldAnnounceCap(), false, 'said already today');
  });

  it('a second window sees the fallback the first began, and the first sees it end', () => {
    const clock = new FakeClock(undefined, START);
    const ledger = new FakeLedger(clock);
    const store = memento();
    const first = new FallbackSpend(clock, ledger.costOn, store);
    const second = new FallbackSpend(clock, ledger.costOn, store);
    first.began('or', 'ds', ['completion', 'chat']);
    first.settle(() => true);
    ledger.spend('ds', 'chat', 300_000);
    assert.deepEqual(second.spentToday(), { USD: 300_000 });
    second.settle(() => false);
    assert.deepEqual(first.active(), [], 'ended in the other window');
    assert.deepEqual(first.spentToday(), { USD: 300_000 }, 'its spend still counts today');
  });

  it('drops whatever is not a fallback: nothing stored can lift the cap or name a strange backend', () => {
    const good = { from: 'or', target: 'ds', roles: ['completion'], day: '2026-12-05', baseline: { USD: 1 } };
    const stored = storedFallbacks({
      fallbacks: [
        good,
        { ...good, roles: ['everything'] },
        { ...good, roles: [] },
        { ...good, day: 'today' },
        { ...good, baseline: { USD: -5 } },
        { ...good, baseline: { EUR: 5 } },
        { ...good, baseline: { USD: 1.5 } },
        { ...good, from: 'x'.repeat(500) },
        { ...good, ended: { day: '2026-12-05' } },
        // A switch time that is not one is dropped: the fallback counts as landed, never as ended.
        { ...good, switching: 'soon' },
        null,
        'or→ds',
      ],
      announcedDay: 'never',
    });
    assert.deepEqual(stored, { fallbacks: [good, good] });
    assert.deepEqual(storedFallbacks('corrupt'), { fallbacks: [] });
    assert.equal(storedFallbacks({ fallbacks: Array.from({ length: 500 }, () => good) }).fallbacks.length, 64);
  });
});
