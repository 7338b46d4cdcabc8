/**
 * What Google's errors say beyond their message, in the `details` list of `google.rpc` messages
 * the Gemini API sends (its OpenAI-compatible endpoint too, inside a one-element list):
 * `ErrorInfo.reason` names a bad key (`API_KEY_INVALID`), `QuotaFailure.violations[].quotaId`
 * the quotas the request ran past (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`, …), and
 * `RetryInfo.retryDelay` ("46.570s") when to try again. A per-day quota comes back at midnight
 * Pacific time. Shapes as users quote them (googleapis/python-genai#2044, google/timesketch#3703,
 * continuedev/continue#8516); the reset from https://ai.google.dev/gemini-api/docs/rate-limits.
 */
import { isRecord } from '../jsonValue';
import { wallTime, zonedEpoch } from '../usage/zonedTime';

export interface GoogleDetails {
  /** `ErrorInfo.reason`, such as `API_KEY_INVALID`. */
  reason?: string;
  /** The first per-day quota among the violations: nothing more is served until the day ends. */
  dailyQuota?: string;
  /** `RetryInfo.retryDelay` in ms. */
  retryDelayMs?: number;
}

/** Enough for every detail Google sends; a longer list is not read further. */
const MAX_DETAILS = 16;
const MAX_VIOLATIONS = 16;
const DELAY = /^(\d{1,6}(?:\.\d{1,9})?)s$/;

/** Reads the details of Google's error object; empty when there are none or they are not Google's. */
export function readGoogleDetails(error: Record<string, unknown>): GoogleDetails {
  const details = error.details;
  if (!Array.isArray(details)) return {};
  const found: GoogleDetails = {};
  for (const detail of details.slice(0, MAX_DETAILS)) {
    if (!isRecord(detail) || typeof detail['@type'] !== 'string') continue;
    const type = detail['@type'];
    if (type.endsWith('google.rpc.ErrorInfo') && typeof detail.reason === 'string' && detail.reason !== '') {
      found.reason ??= detail.reason;
    } else if (type.endsWith('google.rpc.QuotaFailure') && Array.isArray(detail.violations)) {
      for (const violation of detail.violations.slice(0, MAX_VIOLATIONS)) {
        const quotaId = isRecord(violation) ? violation.quotaId : undefined;
        if (typeof quotaId === 'string' && /PerDay/i.test(quotaId)) found.dailyQuota ??= quotaId;
      }
    } else if (type.endsWith('google.rpc.RetryInfo') && typeof detail.retryDelay === 'string') {
      const seconds = DELAY.exec(detail.retryDelay.trim())?.[1];
      if (seconds !== undefined) found.retryDelayMs ??= Math.round(Number(seconds) * 1000);
    }
  }
  return found;
}

const PACIFIC = 'America/Los_Angeles';

/** The next midnight Pacific time after `now`, when Google's per-day quotas reset. */
export function nextPacificMidnight(now: number): number {
  const wall = wallTime(now, PACIFIC);
  return zonedEpoch(PACIFIC, wall.year, wall.month, wall.day + 1);
}
