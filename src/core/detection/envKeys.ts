/**
 * Which backends the user already has a key for, judged from environment variable names only.
 * Values are read to see that they are non-empty and never copied into a result.
 */

/** A key found in the environment: the variable's name, never its value. */
export interface DetectedEnvKey {
  presetId: string;
  envVar: string;
  /** Set when the variable pairs with a base URL variable that points somewhere other than the preset's default. */
  baseUrl?: string;
}

/** Environment variable → preset id, in the order results are reported. */
export const ENV_KEY_PRESETS: readonly { envVar: string; presetId: string }[] = [
  { envVar: 'DASHSCOPE_API_KEY', presetId: 'dashscope-intl' },
  { envVar: 'BAILIAN_CODING_PLAN_API_KEY', presetId: 'coding-plan-intl' },
  { envVar: 'OPENAI_API_KEY', presetId: 'openai' },
  { envVar: 'ANTHROPIC_API_KEY', presetId: 'anthropic' },
  { envVar: 'DEEPSEEK_API_KEY', presetId: 'deepseek' },
  { envVar: 'OPENROUTER_API_KEY', presetId: 'openrouter' },
  { envVar: 'MISTRAL_API_KEY', presetId: 'mistral' },
  // codestral.mistral.ai takes its own key, separate from the La Plateforme one.
  { envVar: 'CODESTRAL_API_KEY', presetId: 'codestral' },
  { envVar: 'GROQ_API_KEY', presetId: 'groq' },
  { envVar: 'GEMINI_API_KEY', presetId: 'gemini' },
  { envVar: 'GOOGLE_API_KEY', presetId: 'gemini' },
  { envVar: 'MOONSHOT_API_KEY', presetId: 'moonshot' },
  { envVar: 'ZHIPUAI_API_KEY', presetId: 'zhipu' },
  { envVar: 'ZAI_API_KEY', presetId: 'zhipu' },
  { envVar: 'SILICONFLOW_API_KEY', presetId: 'siliconflow' },
  { envVar: 'TOGETHER_API_KEY', presetId: 'together' },
  { envVar: 'FIREWORKS_API_KEY', presetId: 'fireworks' },
  { envVar: 'LITELLM_API_KEY', presetId: 'litellm' },
];

/**
 * One result per preset (the first variable in table order wins, so GEMINI_API_KEY beats
 * GOOGLE_API_KEY). OPENAI_API_KEY with OPENAI_BASE_URL pointing away from api.openai.com is the
 * usual way to reach an OpenAI-compatible server, so it maps to that server's preset instead.
 */
export function detectEnvKeys(env: Record<string, string | undefined>): DetectedEnvKey[] {
  const found: DetectedEnvKey[] = [];
  const seen = new Set<string>();
  for (const { envVar, presetId } of ENV_KEY_PRESETS) {
    if (!env[envVar]?.trim()) continue;
    const result =
      envVar === 'OPENAI_API_KEY'
        ? openAiCompatible(env)
        : // A Coding Plan key (`sk-sp-…`) does not work on Model Studio's pay-as-you-go endpoint.
          envVar === 'DASHSCOPE_API_KEY' && env[envVar]?.trim().startsWith('sk-sp-')
          ? { presetId: 'coding-plan-intl', envVar }
          : { presetId, envVar };
    const key = `${result.presetId} ${result.baseUrl ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(result);
  }
  return found;
}

function openAiCompatible(env: Record<string, string | undefined>): DetectedEnvKey {
  const raw = env.OPENAI_BASE_URL?.trim();
  if (!raw) return { presetId: 'openai', envVar: 'OPENAI_API_KEY' };
  const baseUrl = cleanBaseUrl(raw);
  if (!baseUrl) return { presetId: 'custom', envVar: 'OPENAI_API_KEY' };
  const presetId = presetForBaseUrl(baseUrl);
  if (presetId === 'openai') return { presetId, envVar: 'OPENAI_API_KEY' };
  return { presetId, envVar: 'OPENAI_API_KEY', baseUrl };
}

/** Hosts whose OpenAI-compatible endpoint a preset already knows (exact host[:port] match). */
const HOST_PRESETS: Readonly<Record<string, string>> = {
  'api.openai.com': 'openai',
  'dashscope-intl.aliyuncs.com': 'dashscope-intl',
  'dashscope.aliyuncs.com': 'dashscope-cn',
  'dashscope-us.aliyuncs.com': 'dashscope-us',
  'coding-intl.dashscope.aliyuncs.com': 'coding-plan-intl',
  'coding.dashscope.aliyuncs.com': 'coding-plan-cn',
  'openrouter.ai': 'openrouter',
  'api.deepseek.com': 'deepseek',
  '127.0.0.1:11434': 'ollama',
  'localhost:11434': 'ollama',
  '[::1]:11434': 'ollama',
};

/**
 * The preset an OpenAI-compatible base URL belongs to, or 'custom'. Exact host match on purpose:
 * `coding.dashscope.aliyuncs.com` (Alibaba's Coding Plan) takes different keys from
 * `dashscope.aliyuncs.com` and has presets of its own, and workspace hosts like `{id}.ap-southeast-1.maas.aliyuncs.com` are
 * per-account.
 */
export function presetForBaseUrl(baseUrl: string): string {
  try {
    return HOST_PRESETS[new URL(baseUrl).host.toLowerCase()] ?? 'custom';
  } catch {
    return 'custom';
  }
}

/**
 * An http(s) base URL without credentials, query or fragment (people do put keys in there), and
 * without a trailing slash; undefined when the text is not such a URL.
 */
export function cleanBaseUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}
