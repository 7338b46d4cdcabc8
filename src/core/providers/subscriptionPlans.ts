/**
 * Flat-rate subscription plans: what each tier allows per window, and where the figures come from.
 * Requests on a plan are "included in plan", never a token price. Every figure is a default the
 * user can replace in `switchboard.providers[].plan`.
 */
import type { PlanDraw } from '../usage/planDraw';

export type PlanTierId = 'lite' | 'pro' | 'max';

export interface PlanTier {
  requestsPer5h?: number;
  requestsPerWeek?: number;
  requestsPerMonth?: number;
  /** What the tier costs, as the source states it (for the tooltip). */
  price?: string;
  /** Where a figure is inferred or estimated rather than stated. */
  note?: string;
  /** The figures `note` is about: once the user has set every one of them, it no longer applies. */
  noteOn?: readonly PlanFigure[];
  /**
   * Figures taken from elsewhere ("Alibaba publishes for Lite in China"): said, for those the user
   * has not set, in a note of their own.
   */
  inferred?: { figures: readonly PlanFigure[]; from: string };
}

/** A tier's figures that the user can set in `switchboard.providers[].plan`. */
export type PlanFigure = 'requestsPer5h' | 'requestsPerWeek' | 'requestsPerMonth';

export interface SubscriptionPlan {
  id: string;
  /** Short, for the status bar: "Coding Plan · 312 / 6,000 in 5 h". */
  label: string;
  /** What one unit of the quota is. */
  unit: 'requests' | 'prompts';
  tiers: Partial<Record<PlanTierId, PlanTier>>;
  /** The tier assumed until the user says: the smallest, so a warning comes early rather than late. */
  defaultTier: PlanTierId;
  weeklyReset?: { weekday: number; hour: number; timeZone: string };
  monthlyReset: { day: number; hour: number; timeZone: string };
  /** Where the provider tells the plan's own usage, when it does. */
  usageEndpoint?: 'zai-quota';
  /** Models whose request draws more than one unit of the quota. */
  draw?: PlanDraw;
  sources: string;
}

// Alibaba's Coding Plan FAQ: the weekly quota resets at 00:00 UTC+8 on Monday. The monthly reset
// is not documented (likely the subscription's renewal day); the 1st is a default to adjust.
const ALIBABA_WEEK = { weekday: 1, hour: 0, timeZone: 'Asia/Shanghai' };
const ALIBABA_MONTH = { day: 1, hour: 0, timeZone: 'Asia/Shanghai' };

export const ALIBABA_CODING_PLAN_INTL: SubscriptionPlan = {
  id: 'alibaba-coding-plan-intl',
  label: 'Coding Plan',
  unit: 'requests',
  tiers: {
    lite: {
      requestsPerMonth: 18_000,
      // Inferred from the China Lite tier, whose monthly figure is the same.
      requestsPer5h: 1_200,
      requestsPerWeek: 9_000,
      price: '$10/month',
      inferred: { figures: ['requestsPer5h', 'requestsPerWeek'], from: 'Alibaba publishes for Lite in China' },
    },
    pro: { requestsPer5h: 6_000, requestsPerWeek: 45_000, requestsPerMonth: 90_000, price: '$50/month' },
  },
  defaultTier: 'lite',
  weeklyReset: ALIBABA_WEEK,
  monthlyReset: ALIBABA_MONTH,
  sources:
    'RESMP-DEV/ccr-rust docs/qwen-coding-plan.md and RightNow-AI/openfang PR #849 (secondary, 2026); reset time: Alibaba Coding Plan FAQ',
};

export const ALIBABA_CODING_PLAN_CN: SubscriptionPlan = {
  id: 'alibaba-coding-plan-cn',
  label: 'Coding Plan',
  unit: 'requests',
  tiers: {
    lite: {
      requestsPer5h: 1_200,
      requestsPerWeek: 9_000,
      requestsPerMonth: 18_000,
      price: '¥40/month',
      note: 'No longer sold to new users; existing subscriptions renew.',
    },
    pro: { requestsPer5h: 6_000, requestsPerWeek: 45_000, requestsPerMonth: 90_000, price: '¥200/month' },
  },
  defaultTier: 'lite',
  weeklyReset: ALIBABA_WEEK,
  monthlyReset: ALIBABA_MONTH,
  sources:
    'help.aliyun.com/zh/model-studio/coding-plan (official), developer.aliyun.com article 1751004, will-17173/coding-plan-collection (2026-05-22)',
};

export const ZAI_GLM_CODING_PLAN: SubscriptionPlan = {
  id: 'zai-glm-coding-plan',
  label: 'GLM Coding Plan',
  unit: 'prompts',
  tiers: {
    lite: {
      requestsPer5h: 120,
      note: 'About 120 prompts per 5 hours (an estimate in an older Z.ai FAQ).',
      noteOn: ['requestsPer5h'],
    },
    pro: {
      requestsPer5h: 600,
      note: 'About 600 prompts per 5 hours (an estimate in an older Z.ai FAQ).',
      noteOn: ['requestsPer5h'],
    },
    max: {
      requestsPer5h: 2_400,
      note: 'About 2,400 prompts per 5 hours (an estimate in an older Z.ai FAQ).',
      noteOn: ['requestsPer5h'],
    },
  },
  defaultTier: 'lite',
  // Z.ai documents a weekly window too, with no published size; its quota endpoint reports it.
  monthlyReset: { day: 1, hour: 0, timeZone: 'Asia/Shanghai' },
  usageEndpoint: 'zai-quota',
  // docs.z.ai/devpack/faq (later snapshot): 3× in peak hours, 2× off-peak.
  draw: {
    models: ['glm-5.1', 'glm-5-turbo'],
    peak: { fromHour: 14, toHour: 18, timeZone: 'Asia/Shanghai' },
    peakDraw: 3,
    offPeakDraw: 2,
  },
  sources:
    'docs.z.ai/devpack/faq (older snapshot: ~120/~600/~2,400 prompts per 5 h); GET /api/monitor/usage/quota/limit for live figures',
};
