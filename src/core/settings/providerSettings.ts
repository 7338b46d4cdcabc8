/**
 * Parses `switchboard.providers` and the provider choices. Bad entries produce one readable
 * message each (naming the setting and the fix) and are dropped; the valid entries keep working.
 * Nothing here throws on user input.
 */
import * as z from 'zod/mini';
import { findPreset, onVendorHost, PRESETS, runsAnywhere, type Preset } from '../providers/presets';
import { resolvePlan, type ResolvedPlan } from '../usage/planSettings';
import { isTimeZone } from '../usage/zonedTime';
import { isIsoDay, type FreeQuotaSetting } from '../usage/freeQuota';
import { backendLabel } from './backendLabel';

// zod/mini keeps the activation bundle small (the classic build adds ~450 KB); its default
// messages are terse, so every user-facing check carries its own.
const positiveInt = z
  .number('must be a whole number')
  .check(z.int('must be a whole number'), z.positive('must be above 0'));
const dollars = z.number('must be a number of US dollars').check(z.nonnegative('must not be negative'));
const yuan = z.number('must be a number of yuan (CNY)').check(z.nonnegative('must not be negative'));

const limitsSchema = z.strictObject(
  {
    requestsPerMinute: z.optional(positiveInt),
    requestsPerDay: z.optional(positiveInt),
    usdPerDay: z.optional(dollars),
    usdPerMonth: z.optional(dollars),
    cnyPerDay: z.optional(yuan),
    cnyPerMonth: z.optional(yuan),
    /** What this entry's budgets do at 100%: pause automatic completion (the default) or only warn. */
    action: z.optional(z.enum(['pause', 'warn'], 'must be "pause" or "warn"')),
  },
  'must be an object with requestsPerMinute, requestsPerDay, usdPerDay, usdPerMonth, cnyPerDay, cnyPerMonth or action',
);

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const hourOfDay = z
  .number('must be an hour from 0 to 23')
  .check(z.int('must be a whole hour'), z.minimum(0, 'must be 0 to 23'), z.maximum(23, 'must be 0 to 23'));
const timeZone = z
  .string('must be a time zone such as "Asia/Shanghai"')
  .check(z.refine(isTimeZone, 'must be a time zone such as "Asia/Shanghai" or "UTC"'));
const planSchema = z.strictObject(
  {
    tier: z.optional(z.enum(['lite', 'pro', 'max', 'custom'], 'must be "lite", "pro", "max" or "custom"')),
    /** Custom numbers win over the tier's. */
    requestsPer5h: z.optional(positiveInt),
    requestsPerWeek: z.optional(positiveInt),
    requestsPerMonth: z.optional(positiveInt),
    weeklyResetDay: z.optional(z.enum(WEEKDAYS, 'must be a weekday in English, e.g. "monday"')),
    weeklyResetHour: z.optional(hourOfDay),
    monthlyResetDay: z.optional(
      z
        .number('must be a day of the month')
        .check(z.int('must be a whole day'), z.minimum(1, 'must be 1 to 31'), z.maximum(31, 'must be 1 to 31')),
    ),
    resetTimeZone: z.optional(timeZone),
  },
  'must be an object like { "tier": "pro" } or { "requestsPer5h": 1200 }',
);

export type PlanSettings = z.infer<typeof planSchema>;

const text = (what: string) => z.string(`must be ${what}`).check(z.minLength(1, `must be ${what}`));

const isoDay = z
  .string('must be a date like "2027-03-01"')
  .check(z.refine(isIsoDay, 'must be a date like "2027-03-01"'));
const freeQuotaSchema = z.array(
  z.strictObject(
    { model: text('a model id'), tokens: positiveInt, until: isoDay, since: z.optional(isoDay) },
    'must be { "model": …, "tokens": …, "until": "YYYY-MM-DD" }',
  ),
  'must be a list of { "model", "tokens", "until" } entries',
);

const perMTok = z.number('must be an amount per 1M tokens').check(z.nonnegative('must not be negative'));
const priceSchema = z.strictObject(
  {
    currency: z.optional(z.enum(['USD', 'CNY'], 'must be "USD" or "CNY"')),
    inputPerMTok: perMTok,
    outputPerMTok: perMTok,
    cacheReadPerMTok: z.optional(perMTok),
    cacheWritePerMTok: z.optional(perMTok),
  },
  'must be { "inputPerMTok": …, "outputPerMTok": … } per 1M tokens (US dollars unless "currency": "CNY")',
);

const httpUrl = z.string('must be a URL').check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL'),
  // A password in a URL is shown wherever the URL is (errors, the log, pickers); keys belong in
  // secret storage. The message does not repeat the value.
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    } catch {
      return true;
    }
  }, 'must not carry a user name or password; set the key with "Switchboard: Set API Key"'),
);

const entrySchema = z.object(
  {
    id: z
      .string('must be a text id')
      .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "-", "_" or "."')),
    preset: text('a preset id'),
    name: z.optional(text('a display name')),
    chatModel: z.optional(text('a model id')),
    completionModel: z.optional(text('a model id')),
    baseUrl: z.optional(httpUrl),
    fimBaseUrl: z.optional(httpUrl),
    headers: z.optional(z.record(z.string(), z.string('must be text'), 'must map header names to text values')),
    apiKeyEnv: z.optional(
      z.string('must be text').check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')),
    ),
    limits: z.optional(limitsSchema),
    /** A subscription plan's tier and windows (Coding Plan presets, or any backend with custom numbers). */
    plan: z.optional(planSchema),
    /** Free token allowances per model (Model Studio's new-user quota). */
    freeQuota: z.optional(freeQuotaSchema),
    /** Prices per model id ("*" for every model), overriding the price dataset. */
    prices: z.optional(z.record(z.string(), priceSchema, 'must map model ids (or "*") to prices')),
  },
  'must be an object like { "id": "qwen", "preset": "dashscope-intl" }',
);

const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key)$/i;

export type ProviderLimits = z.infer<typeof limitsSchema>;

/** A provider entry with every default from its preset filled in. */
export interface ProviderConfig {
  id: string;
  /** What the user called it: the entry's `name`, else its `id` (see `backendLabel`); never the preset's name by default. */
  name: string;
  preset: Preset;
  baseUrl: string;
  /** Where FIM requests go when the backend serves them elsewhere (DeepSeek's /beta). */
  fimBaseUrl?: string;
  chatModel: string;
  completionModel: string;
  headers: Record<string, string>;
  apiKeyEnv?: string;
  limits: ProviderLimits;
  prices: Record<string, ModelPrice>;
  /** The plan whose windows limit this backend; its requests are "included in plan". */
  plan?: ResolvedPlan;
  /** Free token allowances per model, counted down locally. */
  freeQuota: FreeQuotaSetting[];
}

export type ModelPrice = z.infer<typeof priceSchema>;

/** The user's price for a model: its own entry, else the "*" entry. */
export function priceOverrideFor(config: ProviderConfig, model: string): ModelPrice | undefined {
  return config.prices[model] ?? config.prices['*'];
}

export interface SettingsProblem {
  setting: string;
  message: string;
}

export interface ParsedProviders {
  providers: ProviderConfig[];
  problems: SettingsProblem[];
}

export function parseProviders(raw: unknown, setting = 'switchboard.providers'): ParsedProviders {
  const problems: SettingsProblem[] = [];
  if (raw === undefined || raw === null) return { providers: [], problems };
  if (!Array.isArray(raw)) {
    problems.push({
      setting,
      message: `${setting} must be a list of provider entries, e.g. [{ "id": "qwen", "preset": "dashscope-intl" }].`,
    });
    return { providers: [], problems };
  }
  const providers: ProviderConfig[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const where = `${setting}[${index}]`;
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? `.${issue.path.join('.')}` : '';
      problems.push({
        setting: where,
        message: `${where}${field} ${issue?.message ?? 'is invalid'}; fix or remove this entry.`,
      });
      return;
    }
    const entry = parsed.data;
    const preset = findPreset(entry.preset);
    if (!preset) {
      problems.push({
        setting: where,
        message: `${where}.preset "${entry.preset}" is not a known preset; use one of: ${PRESETS.map((p) => p.id).join(', ')}.`,
      });
      return;
    }
    if (seen.has(entry.id)) {
      problems.push({
        setting: where,
        message: `${where}.id "${entry.id}" is used twice; give each provider its own id.`,
      });
      return;
    }
    seen.add(entry.id);
    const headers = { ...entry.headers };
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(value) || value.length > MAX_HEADER_CHARS) {
        // A line break would start another header; the value is not repeated (it may be a secret).
        delete headers[name];
        problems.push({
          setting: `${where}.headers`,
          message: `${where}.headers has a header that is not a valid HTTP header (a name of letters, digits and -, a value on one line under 8 KB); it was ignored.`,
        });
        continue;
      }
      if (!CREDENTIAL_HEADERS.test(name)) continue;
      // Settings files get synced, shared and committed: a key in them is a key leaked.
      delete headers[name];
      problems.push({
        setting: `${where}.headers`,
        message: `${where}.headers["${name}"] carries a credential, which does not belong in settings and was ignored. Remove it and run "Switchboard: Set API Key": the key is kept in VS Code's secret storage.`,
      });
    }
    const plan = resolvePlan(preset.plan, entry.plan);
    if (plan.problem)
      problems.push({
        setting: `${where}.plan`,
        message: `${where}.plan.tier ${plan.problem}; the smallest tier is used.`,
      });
    const baseUrl = entry.baseUrl ?? preset.baseUrl;
    // The key is set for the base URL's server (see KeyStore), and the preset's key variable
    // follows it: a FIM address elsewhere would carry that key to a server it was never set for.
    let fimBaseUrl = entry.fimBaseUrl;
    if (fimBaseUrl !== undefined && !sameOrigin(fimBaseUrl, baseUrl)) {
      fimBaseUrl = undefined;
      problems.push({
        setting: `${where}.fimBaseUrl`,
        message: `${where}.fimBaseUrl must be on the same server as its base URL (scheme, host and port), which its key is for; it was ignored. Add the other server as a provider entry of its own.`,
      });
    }
    providers.push({
      id: entry.id,
      name: backendLabel(entry),
      preset,
      baseUrl,
      // The preset's FIM address belongs with its base URL: an entry pointed at a gateway sends
      // completions there too, never to the vendor with the gateway's key.
      fimBaseUrl: fimBaseUrl ?? (sameOrigin(baseUrl, preset.baseUrl) ? preset.fimBaseUrl : undefined),
      chatModel: entry.chatModel ?? preset.chatModel,
      completionModel: entry.completionModel ?? preset.completionModel,
      headers,
      // A vendor's key variable goes to the vendor's hosts; elsewhere only when the entry names it.
      apiKeyEnv:
        entry.apiKeyEnv ?? (runsAnywhere(preset) || onVendorHost(preset, baseUrl) ? preset.apiKeyEnv : undefined),
      limits: entry.limits ?? {},
      prices: entry.prices ?? {},
      freeQuota: entry.freeQuota ?? [],
      ...(plan.plan && { plan: plan.plan }),
    });
  });
  return { providers, problems };
}

/** An HTTP header name (RFC 9110 token), of a sane length. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const MAX_HEADER_CHARS = 8192;

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
