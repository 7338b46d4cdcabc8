/**
 * Fill-in-the-middle templates for base models, chosen from the model id. Token spellings are the
 * models' own (DeepSeek-Coder uses full-width bars and "▁", not ASCII spaces: Twinny got that wrong).
 * Where a family was trained suffix-first (Codestral, Code Llama), the suffix goes first: typing
 * then changes only the prompt's end, which a backend's prefix cache rewards. Qwen-Coder,
 * DeepSeek-Coder, StarCoder and CodeGemma document the prefix-first order only, so they keep it.
 * Sources: the Qwen2.5-Coder and DeepSeek-Coder model cards, Mistral's Codestral docs, the
 * StarCoder2, CodeLlama and CodeGemma papers/model cards.
 */

export type TemplateId = 'qwen' | 'deepseek' | 'codestral' | 'starcoder' | 'codellama' | 'codegemma';

/** What a repo-level template can use besides the prefix and suffix. */
export interface TemplateContext {
  repoName?: string;
  path?: string;
  /** Other files' snippets, each put in as its own file (Qwen's repo-level form). */
  snippets?: readonly { path: string; text: string }[];
  /**
   * 'stable' (the default) puts the suffix before the prefix where the family was trained on it
   * (SPM), so consecutive prompts differ only at their end and a prompt cache serves the rest;
   * 'legacy' is the earlier prefix-first order, for the benchmark's baseline.
   */
  order?: 'stable' | 'legacy';
}

export interface FimTemplate {
  id: TemplateId;
  build(prefix: string, suffix: string, context?: TemplateContext): string;
  /** Whether `build` places context snippets itself; otherwise the caller puts them in the prefix as comments. */
  takesSnippets?: boolean;
  /** Where generation must stop: the template's own control tokens. */
  stop: string[];
}

export const FIM_TEMPLATES: Record<TemplateId, FimTemplate> = {
  qwen: {
    id: 'qwen',
    // Repo-level form when a path is known: <|repo_name|>, then <|file_sep|> before each file, the
    // context files first and the file being edited last.
    build: (prefix, suffix, context) => {
      if (!context?.path) return `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
      const files = (context.snippets ?? [])
        .map((snippet) => `<|file_sep|>${snippet.path}\n${snippet.text}\n`)
        .join('');
      return `<|repo_name|>${context.repoName ?? 'workspace'}\n${files}<|file_sep|>${context.path}\n<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
    },
    takesSnippets: true,
    stop: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|fim_prefix|>', '<|im_end|>'],
  },
  deepseek: {
    id: 'deepseek',
    build: (prefix, suffix) => `<｜fim▁begin｜>${prefix}<｜fim▁hole｜>${suffix}<｜fim▁end｜>`,
    stop: ['<｜end▁of▁sentence｜>', '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<|EOT|>'],
  },
  codestral: {
    id: 'codestral',
    // Codestral takes the suffix first.
    build: (prefix, suffix) => `[SUFFIX]${suffix}[PREFIX]${prefix}`,
    stop: ['[PREFIX]', '[SUFFIX]', '</s>'],
  },
  starcoder: {
    id: 'starcoder',
    build: (prefix, suffix) => `<fim_prefix>${prefix}<fim_suffix>${suffix}<fim_middle>`,
    stop: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
  },
  codellama: {
    id: 'codellama',
    // Code Llama was trained on both orders; its reference code writes the suffix-first one as
    // "<PRE> <SUF>{suffix} <MID> {prefix}" (meta-llama/codellama, llama/generation.py).
    build: (prefix, suffix, context) =>
      context?.order === 'legacy' ? `<PRE> ${prefix} <SUF>${suffix} <MID>` : `<PRE> <SUF>${suffix} <MID> ${prefix}`,
    stop: ['<EOT>', '<PRE>', '<SUF>', '<MID>'],
  },
  codegemma: {
    id: 'codegemma',
    build: (prefix, suffix) => `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`,
    stop: ['<|file_separator|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<end_of_turn>', '<eos>'],
  },
};

/**
 * The template for a model id, or undefined when the family is unknown. Plain "qwen" chat models
 * are not Qwen-Coder: only ids that say "coder" get the Qwen FIM tokens (Continue sent StarCoder
 * tokens to every "qwen" model).
 */
export function templateForModel(model: string, override?: TemplateId): FimTemplate | undefined {
  if (override) return FIM_TEMPLATES[override];
  const id = model.toLowerCase();
  if (/qwen.*coder|coder.*qwen/.test(id)) return FIM_TEMPLATES.qwen;
  if (/deepseek.*coder/.test(id)) return FIM_TEMPLATES.deepseek;
  if (/codestral/.test(id)) return FIM_TEMPLATES.codestral;
  if (/starcoder/.test(id)) return FIM_TEMPLATES.starcoder;
  if (/codellama|code-llama/.test(id)) return FIM_TEMPLATES.codellama;
  if (/codegemma/.test(id)) return FIM_TEMPLATES.codegemma;
  return undefined;
}
