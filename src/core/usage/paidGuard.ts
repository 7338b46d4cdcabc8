/**
 * "Never slide into paid": a fallback (automatic, or a switch button after a limit) may move a role
 * from a local, free or plan backend to a paid one only with the user's confirmation, given once
 * per target and remembered in `switchboard.paidFallbackAllowed`; and never past the day's
 * `switchboard.fallbackBudget`.
 */
import type { Role } from './backendPrice';
import type { CostClass } from './costClass';

/** At most this many remembered targets are read: the setting is the user's, but bounded all the same. */
const MAX_ALLOWED = 100;

/** The backend ids in `switchboard.paidFallbackAllowed`; anything else in it is ignored. */
export function parseAllowedTargets(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, MAX_ALLOWED)
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 64);
}

/** One role moving from one backend to another, each with its class for that role. */
export interface RoleMove {
  role: Role;
  from: CostClass;
  to: CostClass;
}

/** True when some role would go from local, free or plan to paid: the move a user must confirm. */
export function slidesIntoPaid(moves: readonly RoleMove[]): boolean {
  return moves.some((move) => move.from !== 'paid' && move.to === 'paid');
}

export type FallbackVerdict =
  /** Go ahead: nothing new to pay, or a paid target the user already confirmed. */
  | 'switch'
  /** Paid and not confirmed yet: ask, and switch only on a yes. */
  | 'ask'
  /** The day's fallback budget is spent: no fallback to a paid backend until it resets. */
  | 'capped';

/**
 * What a fallback to `targetId` may do. The cap stops every fallback that would spend (paid to paid
 * included); the confirmation is needed only to leave local, free or plan behind.
 */
export function fallbackVerdict(input: {
  targetId: string;
  moves: readonly RoleMove[];
  allowed: readonly string[];
  capReached: boolean;
  /**
   * A fallback budget is set, and what the target spends on a moved role has no known price, so
   * the budget cannot count it: such a fallback is never automatic, confirmed before or not.
   */
  uncounted?: boolean;
}): FallbackVerdict {
  if (!input.moves.some((move) => move.to === 'paid')) return 'switch';
  if (input.capReached) return 'capped';
  if (input.uncounted) return 'ask';
  if (slidesIntoPaid(input.moves) && !input.allowed.includes(input.targetId)) return 'ask';
  return 'switch';
}

/**
 * The role whose request price a button quotes: chat's when chat moves (its requests are the
 * dearer ones, so the figure is never the flattering one), else completion's.
 */
export function quotedRole(roles: readonly Role[]): Role {
  return roles.includes('chat') ? 'chat' : 'completion';
}

/**
 * "Switch to DeepSeek". A notification cuts long button labels short (its buttons share one row),
 * which cut off the price they carried: the price goes in the message, by `paidNote`.
 */
export function switchButton(name: string): string {
  return `Switch to ${name}`;
}

/** The message's words on the paid targets of its buttons: "DeepSeek is paid (~$0.0019/request)." */
export function paidNote(offers: readonly { name: string; paid: boolean; estimate: string }[]): string | undefined {
  const paid = offers.filter((offer) => offer.paid).map((offer) => `${offer.name} is paid (${offer.estimate})`);
  return paid.length ? `${paid.join('; ')}.` : undefined;
}
