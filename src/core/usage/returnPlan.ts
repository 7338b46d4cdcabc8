/**
 * A switch caused by a limit, remembered so the user can be brought back when the limit resets:
 * where the roles came from, where they went, why, and when the original backend should answer
 * again. Pure data and rules; `returnScheduler.ts` runs them on a clock.
 */
import type { RateLimitSnapshot } from '../providers/rateLimitHeaders';
import type { LimitState } from './limits';

export type Role = 'completion' | 'chat';

/** What held a probe back (see `probeHeld`): a budget, or the user's own limit on the backend. */
export type HeldBy = 'budget' | 'own-limit';

export interface ReturnPlan {
  /** The backend that ran out, and its name when it did. */
  from: string;
  fromName: string;
  /** Where the roles went. */
  to: string;
  toName: string;
  roles: Role[];
  /** The sentence that said why ("Qwen reached its limit: …"). */
  why: string;
  /** When the switch happened (epoch ms). */
  at: number;
  /** True when `switchboard.fallback` moved the roles; then the return is automatic too. */
  automatic: boolean;
  /** When the original backend's limit resets, when known. */
  resetsAt?: number;
  /** When the next probe goes out; undefined while the reset is unknown (the user asks instead). */
  nextProbeAt?: number;
  /** Probes that failed since the switch, for the backoff. */
  failedProbes: number;
  /**
   * The backend answered, but the settings write that moves the roles back was refused (the
   * user's settings.json does not parse, say): the return is tried again at `nextProbeAt`.
   */
  unsaved?: boolean;
  /** The last probe was not sent (`probeHeld`): why, as the user reads it. */
  held?: string;
  /** What held it, for the status bar's few words; absent in plans stored before it was kept. */
  heldBy?: HeldBy;
  /** And only a reload can lift what held it: no next try is promised. */
  heldUntilReload?: boolean;
}

/** A moment after the reset, so the server's own clock has surely rolled over too. */
export const PROBE_GRACE_MS = 2_000;
export const FIRST_BACKOFF_MS = 60_000;
export const MAX_BACKOFF_MS = 30 * 60_000;
/** A remembered switch older than this is forgotten: the user has long moved on. */
export const PLAN_MAX_AGE_MS = 40 * 86_400_000;

/**
 * When the limit that stopped a backend lifts: the latest reset among what is spent (its
 * exhausted readings, a failure's reset, a rate-limit window with nothing left or a `retry-after`),
 * since every one of them must have reset. Undefined when what stopped it has no known reset.
 */
export function knownReset(
  state: LimitState | undefined,
  rateLimit: RateLimitSnapshot | undefined,
  now: number,
): number | undefined {
  const resets: number[] = [];
  let unknown = false;
  for (const reading of state?.readings ?? []) {
    if (reading.fraction < 1) continue;
    if (reading.resetsAt === undefined) unknown = true;
    else resets.push(reading.resetsAt);
  }
  if (state?.failure) {
    if (state.failure.resetsAt !== undefined) resets.push(state.failure.resetsAt);
    // A spent quota or balance with no reading that explains it: nobody said when it comes back.
    else if (resets.length === 0) unknown = true;
  }
  if (rateLimit) {
    if (rateLimit.retryAfterMs !== undefined) resets.push(rateLimit.observedAt + rateLimit.retryAfterMs);
    for (const window of [rateLimit.requests, rateLimit.tokens, rateLimit.inputTokens, rateLimit.outputTokens])
      if (window?.remaining === 0 && window.resetAt !== undefined) resets.push(window.resetAt);
  }
  if (unknown) return undefined;
  const latest = resets.filter((time) => Number.isFinite(time) && time > now).reduce((a, b) => Math.max(a, b), 0);
  return latest > 0 ? latest : undefined;
}

export interface SwitchFacts {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  roles: readonly Role[];
  why: string;
  automatic: boolean;
  resetsAt?: number;
  now: number;
}

/**
 * The plans after a switch away from `facts.from`. A switch away from a backend that was itself
 * a fallback keeps the user's original backend as the one to return to.
 */
export function rememberSwitch(plans: readonly ReturnPlan[], facts: SwitchFacts): ReturnPlan[] {
  const roles = [...new Set(facts.roles)];
  const next: ReturnPlan[] = [];
  const fresh: ReturnPlan = {
    from: facts.from,
    fromName: facts.fromName,
    to: facts.to,
    toName: facts.toName,
    roles,
    why: facts.why,
    at: facts.now,
    automatic: facts.automatic,
    ...(facts.resetsAt !== undefined && { resetsAt: facts.resetsAt }),
    ...(facts.resetsAt !== undefined && { nextProbeAt: facts.resetsAt + PROBE_GRACE_MS }),
    failedProbes: 0,
  };
  for (const plan of plans) {
    if (plan.from === facts.from) {
      // The same backend ran out again: the new switch says where the roles are now.
      const kept = plan.roles.filter((role) => !roles.includes(role));
      if (kept.length) next.push({ ...plan, roles: kept });
      continue;
    }
    const moved = plan.to === facts.from ? plan.roles.filter((role) => roles.includes(role)) : [];
    const stay = plan.roles.filter((role) => !moved.includes(role));
    if (stay.length) next.push({ ...plan, roles: stay });
    // The fallback ran out too: those roles still return to the original, from wherever they are now.
    if (moved.length && plan.from !== facts.to)
      next.push({
        ...plan,
        roles: moved,
        to: facts.to,
        toName: facts.toName,
        automatic: plan.automatic && facts.automatic,
      });
  }
  // Roles that a chained plan above already covers return there, not to the fallback that ran out.
  const chained = new Set(next.filter((plan) => plan.to === facts.to).flatMap((plan) => plan.roles));
  const own = roles.filter((role) => !chained.has(role));
  if (own.length) next.push({ ...fresh, roles: own });
  return next;
}

/**
 * The plans once the roles are where `serving` says: a role no longer on the plan's fallback was
 * moved by the user (or by nobody we know of), so its return is cancelled. Plans too old, or for
 * a backend no longer configured, are dropped too.
 */
export function reconcile(
  plans: readonly ReturnPlan[],
  serving: (role: Role) => string | undefined,
  configured: (backend: string) => boolean,
  now: number,
): ReturnPlan[] {
  const next: ReturnPlan[] = [];
  for (const plan of plans) {
    if (!configured(plan.from) || now - plan.at > PLAN_MAX_AGE_MS) continue;
    const roles = plan.roles.filter((role) => serving(role) === plan.to);
    if (roles.length === 0) continue;
    next.push(roles.length === plan.roles.length ? plan : { ...plan, roles });
  }
  return next;
}

/** Waits after the n-th failed probe: 1, 2, 4 … minutes, capped at 30. */
export function backoffAfter(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/**
 * The plan after a failed probe: the next one waits the backoff, or until a reset the failure
 * told of, whichever is later.
 */
export function afterFailedProbe(
  plan: ReturnPlan,
  now: number,
  toldReset?: number,
  held?: { message: string; heldBy?: HeldBy; untilReload?: true },
): ReturnPlan {
  const failedProbes = plan.failedProbes + 1;
  const told = toldReset !== undefined && toldReset > now ? toldReset + PROBE_GRACE_MS : 0;
  const next: ReturnPlan = { ...plan, failedProbes, nextProbeAt: Math.max(now + backoffAfter(failedProbes), told) };
  delete next.unsaved;
  delete next.held;
  delete next.heldBy;
  delete next.heldUntilReload;
  if (held) next.held = held.message;
  if (held?.heldBy) next.heldBy = held.heldBy;
  if (held?.untilReload) next.heldUntilReload = true;
  return next;
}

/**
 * The plan after the backend answered but the move back could not be written to settings: kept,
 * so the roles still return, and tried again after the same backoff as a failed probe (a settings
 * file left broken is not written to every minute for hours).
 */
export function afterUnsavedReturn(plan: ReturnPlan, now: number): ReturnPlan {
  const failedProbes = plan.failedProbes + 1;
  return { ...plan, failedProbes, nextProbeAt: now + backoffAfter(failedProbes), unsaved: true };
}

/**
 * What the status bar says while roles wait to return: "on Ollama until Qwen resets at 14:20",
 * "on Ollama · trying Qwen again at 14:23", "on Ollama · return to Qwen held by a budget, next try
 * at 00:00", or "on Ollama · Qwen's reset unknown". `time` formats an epoch in the user's local time.
 */
export function returnStatus(plan: ReturnPlan, now: number, time: (at: number) => string): string {
  if (plan.unsaved && plan.nextProbeAt !== undefined)
    return `on ${plan.toName} · return to ${plan.fromName} not saved, again at ${time(plan.nextProbeAt)}`;
  if (plan.resetsAt !== undefined && plan.resetsAt > now && plan.failedProbes === 0)
    return `on ${plan.toName} until ${plan.fromName} resets at ${time(plan.resetsAt)}`;
  if (plan.held !== undefined) {
    // Nothing was sent, so "trying Qwen again" would claim a try that never was. The next check
    // is named only while it is ahead: a time passed means the check is under way or due.
    const by = plan.heldBy === 'own-limit' ? ' by your limit' : plan.heldBy === 'budget' ? ' by a budget' : '';
    const head = `on ${plan.toName} · return to ${plan.fromName} held${by}`;
    if (plan.heldUntilReload) return `${head} until you reload`;
    return plan.nextProbeAt !== undefined && plan.nextProbeAt > now
      ? `${head}, next try at ${time(plan.nextProbeAt)}`
      : head;
  }
  if (plan.nextProbeAt !== undefined)
    return `on ${plan.toName} · trying ${plan.fromName} again at ${time(plan.nextProbeAt)}`;
  return `on ${plan.toName} · ${plan.fromName}'s reset unknown`;
}

/** The tooltip's sentence about one plan, ending in how long is left when the reset is known. */
export function returnDetail(plan: ReturnPlan, now: number, time: (at: number) => string): string {
  const roles = plan.roles.join(' and ');
  const back = plan.automatic ? 'moves back by itself' : 'offers to switch back';
  if (plan.unsaved && plan.nextProbeAt !== undefined)
    return `${capitalize(roles)} moved to ${plan.toName} because ${plan.why.replace(/\.$/, '')}. ${plan.fromName} answered again, but VS Code could not write your settings.json to move them back; the next try is at ${time(plan.nextProbeAt)} (${untilText(plan.nextProbeAt - now)}).`;
  if (plan.resetsAt !== undefined && plan.resetsAt > now && plan.failedProbes === 0)
    return `${capitalize(roles)} moved to ${plan.toName} because ${plan.why.replace(/\.$/, '')}. ${plan.fromName} resets at ${time(plan.resetsAt)} (${untilText(plan.resetsAt - now)}); then Switchboard checks it with one small request and ${back}.`;
  if (plan.held !== undefined) {
    const next =
      plan.heldUntilReload || plan.nextProbeAt === undefined || plan.nextProbeAt <= now
        ? ''
        : ` The next try is at ${time(plan.nextProbeAt)} (${untilText(plan.nextProbeAt - now)}).`;
    return `${capitalize(roles)} moved to ${plan.toName} because ${plan.why.replace(/\.$/, '')}. ${capitalize(plan.held)}${next}`;
  }
  if (plan.nextProbeAt !== undefined)
    return `${capitalize(roles)} moved to ${plan.toName} because ${plan.why.replace(/\.$/, '')}. ${plan.fromName} did not answer yet (${plan.failedProbes} ${plan.failedProbes === 1 ? 'try' : 'tries'}); the next try is at ${time(plan.nextProbeAt)} (${untilText(plan.nextProbeAt - now)}).`;
  return `${capitalize(roles)} moved to ${plan.toName} because ${plan.why.replace(/\.$/, '')}. When ${plan.fromName}'s limit resets is unknown.`;
}

/** "in 4 min", "in 2 h 10 min", "in under a minute". */
export function untilText(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return ms <= 0 ? 'now' : 'in under a minute';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `in ${hours} h ${rest} min` : `in ${hours} h`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ROLES: ReadonlySet<string> = new Set(['completion', 'chat']);
const MAX_PLANS = 8;
const MAX_TEXT = 300;

/** Plans read back from storage: anything malformed is dropped, never trusted. */
export function parsePlans(stored: unknown): ReturnPlan[] {
  if (!Array.isArray(stored)) return [];
  const plans: ReturnPlan[] = [];
  for (const item of stored.slice(0, MAX_PLANS)) {
    if (typeof item !== 'object' || item === null) continue;
    const p = item as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value.length <= MAX_TEXT ? value : undefined);
    const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
    const roles = Array.isArray(p.roles) ? p.roles.filter((role): role is Role => ROLES.has(role as string)) : [];
    const from = text(p.from);
    const to = text(p.to);
    const at = time(p.at);
    if (!from || !to || at === undefined || roles.length === 0) continue;
    const resetsAt = time(p.resetsAt);
    const nextProbeAt = time(p.nextProbeAt);
    plans.push({
      from,
      fromName: text(p.fromName) ?? from,
      to,
      toName: text(p.toName) ?? to,
      roles: [...new Set(roles)],
      why: text(p.why) ?? `${from} ran out`,
      at,
      automatic: p.automatic === true,
      ...(resetsAt !== undefined && { resetsAt }),
      ...(nextProbeAt !== undefined && { nextProbeAt }),
      failedProbes: Math.max(0, Math.min(64, Math.floor(time(p.failedProbes) ?? 0))),
      ...(p.unsaved === true && { unsaved: true }),
      ...(text(p.held) !== undefined && { held: text(p.held) }),
      ...((p.heldBy === 'budget' || p.heldBy === 'own-limit') && { heldBy: p.heldBy }),
      ...(p.heldUntilReload === true && { heldUntilReload: true }),
    });
  }
  return plans;
}
