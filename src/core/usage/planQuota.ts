/**
 * A plan's usage as the provider itself reports it, preferred to the local count when present.
 *
 * Z.ai: `GET https://api.z.ai/api/monitor/usage/quota/limit` (open.bigmodel.cn on the China site)
 * with the plan's key answers `{code: 200, msg, success, data: {limits: [...], level}}`. Each limit
 * has a `type`: `TOKENS_LIMIT` is the model-token window (`unit: 3` = hours, `number: 5`, so 5
 * hours; newer answers carry only `percentage`, older ones `usage`/`currentValue`/`remaining` too)
 * and a `nextResetTime` in epoch ms; `TIME_LIMIT` counts MCP tool calls (web search, reader),
 * which Switchboard does not make, so it is left out. Shape as observed by
 * jukanntenn/glm-plan-usage docs/api-research.md (2026-02) and the zai-rs `usage` module.
 */
import { startDeadline } from '../providers/deadline';
import { callJson } from '../providers/httpJson';
import { isRecord } from '../jsonValue';
import type { PlanWindowReading } from './planWindows';

export interface PlanQuota {
  windows: PlanWindowReading[];
  /** The plan's tier as the provider names it ("lite", "pro", "max"), when it does. */
  level?: string;
  fetchedAt: number;
}

const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * A plan's windows reset within a month; a reset further off is a broken answer, and one past year
 * 275760 no date at all (the status bar could not write it).
 */
const MAX_RESET_MS = 366 * 86_400_000;

/** Z.ai's `unit` codes as observed: 3 is hours. Others are named by their raw figures. */
function zaiWindow(unit: number | undefined, size: number | undefined): string {
  if (unit === 3 && size !== undefined) return `in ${size} h`;
  return 'in the plan window';
}

export function parseZaiQuota(body: unknown, now: number): PlanQuota | undefined {
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  if (!data || !Array.isArray(data.limits)) return undefined;
  const windows: PlanWindowReading[] = [];
  for (const limit of data.limits) {
    if (!isRecord(limit) || limit.type !== 'TOKENS_LIMIT') continue;
    const window = zaiWindow(number(limit.unit), number(limit.number));
    const reset = number(limit.nextResetTime);
    const resetsAt = reset !== undefined && reset > now && reset - now <= MAX_RESET_MS ? { resetsAt: reset } : {};
    const total = number(limit.usage);
    const used = number(limit.currentValue);
    if (total !== undefined && total > 0 && used !== undefined) {
      windows.push({ window, used, limit: total, fraction: used / total, unit: 'tokens', ...resetsAt });
      continue;
    }
    const percentage = number(limit.percentage);
    if (percentage === undefined) continue;
    windows.push({ window, used: percentage, limit: 100, fraction: percentage / 100, unit: 'percent', ...resetsAt });
  }
  if (!windows.length) return undefined;
  return { windows, ...(typeof data.level === 'string' && { level: data.level }), fetchedAt: now };
}

/** The quota endpoint on the same host as the plan's API root. */
export function zaiQuotaUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.host}/api/monitor/usage/quota/limit`;
}

export async function fetchPlanQuota(options: {
  providerId: string;
  baseUrl: string;
  apiKey: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  now?: () => number;
}): Promise<PlanQuota | undefined> {
  const deadline = startDeadline({ signal: options.signal }, 10_000);
  try {
    const { data } = await callJson<unknown>({
      providerId: options.providerId,
      url: zaiQuotaUrl(options.baseUrl),
      headers: { ...options.headers, authorization: `Bearer ${options.apiKey}` },
      apiKey: options.apiKey,
      deadline,
    });
    return parseZaiQuota(data, (options.now ?? Date.now)());
  } finally {
    deadline.dispose();
  }
}
