/**
 * The catalogue of backends a user can pick: data, not classes.
 * Every value here is a default the user can override in `switchboard.providers`.
 */

export type Protocol = 'openai' | 'anthropic' | 'ollama';

/** How fill-in-the-middle reaches the backend. */
export type FimRoute =
  | 'completions-suffix' // OpenAI-compatible /v1/completions with a `suffix` field
  | 'chat'; // a hole-filling prompt over chat, for chat-only models

export interface Preset {
  id: string;
  name: string;
  protocol: Protocol;
  baseUrl: string;
  /** Environment variable that holds the key, read as a fallback to SecretStorage. */
  apiKeyEnv?: string;
  /** Local servers need no key. */
  requiresKey: boolean;
  chatModel: string;
  completionModel: string;
  fimRoute: FimRoute;
  docs: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'custom',
    name: 'OpenAI-compatible server',
    protocol: 'openai',
    baseUrl: 'http://127.0.0.1:8000/v1',
    requiresKey: false,
    chatModel: 'default',
    completionModel: 'default',
    fimRoute: 'completions-suffix',
    docs: 'https://platform.openai.com/docs/api-reference/completions',
  },
  {
    id: 'openai',
    name: 'OpenAI',
    protocol: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    requiresKey: true,
    chatModel: 'gpt-4.1',
    completionModel: 'gpt-4.1-mini',
    fimRoute: 'chat',
    docs: 'https://platform.openai.com/docs/models',
  },
  {
    id: 'dashscope-intl',
    name: 'Qwen (Alibaba Model Studio, international)',
    protocol: 'openai',
    baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    apiKeyEnv: 'DASHSCOPE_API_KEY',
    requiresKey: true,
    chatModel: 'qwen3-coder-plus',
    completionModel: 'qwen2.5-coder-32b-instruct',
    fimRoute: 'completions-suffix',
    docs: 'https://www.alibabacloud.com/help/en/model-studio/qwen-coder',
  },
  {
    id: 'ollama',
    name: 'Ollama (local)',
    protocol: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    requiresKey: false,
    chatModel: 'qwen2.5-coder:7b',
    completionModel: 'qwen2.5-coder:1.5b-base',
    fimRoute: 'completions-suffix',
    docs: 'https://github.com/ollama/ollama/blob/main/docs/openai.md',
  },
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}
