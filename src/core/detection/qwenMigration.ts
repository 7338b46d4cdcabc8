/**
 * Where someone whose Qwen Code OAuth login ended can go. The first three are the routes Qwen
 * Code's own README recommended when the free tier ended on 2026-04-15 (QwenLM/qwen-code PR
 * #3210): Alibaba's Coding Plan, Model Studio with one's own key, OpenRouter. A local Ollama is
 * offered too when one is running. Each names the preset Add Provider starts from, and says in
 * one line how it is paid for.
 */

export interface MigrationRoute {
  id: 'coding-plan' | 'model-studio' | 'openrouter-free' | 'ollama';
  /** The button. */
  label: string;
  /** The preset Add Provider opens with. */
  presetId: string;
  /** How it differs in cost, in one line. */
  cost: string;
  /** Where a key for it was found ("$DASHSCOPE_API_KEY", "~/.qwen/settings.json"): no key to type in. */
  keyPlace?: string;
}

const ROUTES: readonly MigrationRoute[] = [
  {
    id: 'coding-plan',
    label: 'Coding Plan…',
    presetId: 'coding-plan-intl',
    cost: 'Coding Plan: a flat monthly subscription (Lite about $10, Pro about $50); requests are included up to its 5-hour, weekly and monthly windows, then stop until they reset. Needs its own sk-sp- key.',
  },
  {
    id: 'model-studio',
    label: 'Model Studio…',
    presetId: 'dashscope-intl',
    cost: 'Model Studio pay-as-you-go: billed per token (qwen3-coder-plus $1 in / $5 out per 1M tokens in Singapore); new accounts get a free quota of about 1M tokens per model for 90 days, Singapore only.',
  },
  {
    id: 'openrouter-free',
    label: 'OpenRouter (free)…',
    presetId: 'openrouter',
    cost: 'OpenRouter qwen/qwen3-coder:free: $0, limited to 20 requests a minute and 50 a day (1,000 a day once $10 of credits was ever bought); free routes may train on prompts.',
  },
  {
    id: 'ollama',
    label: 'Local Ollama',
    presetId: 'ollama',
    cost: 'Ollama on this machine: free and private; as good and as fast as the model your hardware runs.',
  },
];

/** One region of a route's vendor. Accounts and keys belong to one region, so the user picks theirs. */
export interface RouteRegion {
  presetId: string;
  label: string;
  /** Whose account it is and what differs there, in one line. */
  detail: string;
}

// A key works only in its own region: a China-site (aliyun.com) key is refused in Singapore, so
// opening Singapore for everyone would only fail later, at the first request.
const REGIONS: Partial<Record<MigrationRoute['id'], readonly RouteRegion[]>> = {
  'model-studio': [
    {
      presetId: 'dashscope-intl',
      label: 'Singapore',
      detail: 'An alibabacloud.com account. The only region with a free quota for new accounts.',
    },
    {
      presetId: 'dashscope-us',
      label: 'US (Virginia)',
      detail: 'An alibabacloud.com account, served in the US. No free quota.',
    },
    {
      presetId: 'dashscope-cn',
      label: 'China (Beijing)',
      detail: 'An aliyun.com (China site) account, with its own free quota. Billed in yuan.',
    },
  ],
  'coding-plan': [
    { presetId: 'coding-plan-intl', label: 'International', detail: 'A plan bought on alibabacloud.com.' },
    { presetId: 'coding-plan-cn', label: 'China', detail: 'A plan bought on aliyun.com (China site), in yuan.' },
  ],
};

/**
 * The regions to choose from before a route's key is asked for, the route's own preset first;
 * none when the route has one region or its key was found (the key's entry already has its host).
 */
export function routeRegions(route: MigrationRoute): readonly RouteRegion[] {
  if (route.keyPlace !== undefined) return [];
  return REGIONS[route.id] ?? [];
}

/** What each route's button says once its key is found, with no steps left to ask. */
const KEY_FOUND_LABELS: Readonly<Record<MigrationRoute['id'], string>> = {
  'coding-plan': 'Coding Plan (key found)',
  'model-studio': 'Model Studio (key found)',
  'openrouter-free': 'OpenRouter (free, key found)',
  ollama: 'Local Ollama',
};

/**
 * The routes to offer: the three recommended, and Ollama only when it is running here.
 * `keyPlaces`: preset id → where a key for it was found, as the user would name it.
 */
export function migrationRoutes(
  ollamaRunning: boolean,
  keyPlaces: ReadonlyMap<string, string> = new Map(),
): MigrationRoute[] {
  return ROUTES.filter((route) => route.id !== 'ollama' || ollamaRunning).map((route) => {
    const place = keyPlaces.get(route.presetId);
    if (!place) return route;
    return {
      ...route,
      label: KEY_FOUND_LABELS[route.id],
      cost: `${route.cost} Your key in ${place} is used.`,
      keyPlace: place,
    };
  });
}

/** The notice's text: what ended, and one line per route on what it costs. */
export function migrationNotice(routes: readonly MigrationRoute[]): { message: string; detail: string } {
  return {
    message:
      'Switchboard found your Qwen Code login, but its free tier ended on 2026-04-15 and the login no longer works. Choose where to go instead:',
    detail: routes.map((route) => `• ${route.cost}`).join('\n'),
  };
}
