/**
 * Fill-in-the-middle templates for base models, chosen from the model id. Token spellings are the
 * models' own (DeepSeek-Coder uses full-width bars and "▁", not ASCII spaces: Twinny got that wrong).
 * Sources: the Qwen2.5-Coder and DeepSeek-Coder model cards, Mistral's Codestral docs, the
 * StarCoder2, CodeLlama and CodeGemma papers/model cards.
 */

export type TemplateId = 'qwen' | 'deepseek' | 'codestral' | 'starcoder' | 'codellama' | 'codegemma';

export interface FimTemplate {
  id: TemplateId;
  build(prefix: string, suffix: string, context?: { repoName?: string; path?: string }): string;
  /** Where generation must stop: the template's own control tokens. */
  stop: string[];
}

export const FIM_TEMPLATES: Record<TemplateId, FimTemplate> = {
  qwen: {
    id: 'qwen',
    // Repo-level form when a path is known: <|repo_name|>, then <|file_sep|> before each file.
    build: (prefix, suffix, context) =>
      (context?.path ? `<|repo_name|>${context.repoName ?? 'workspace'}\n<|file_sep|>${context.path}\n` : '') +
      `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`,
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
    build: (prefix, suffix) => `<PRE> ${prefix} <SUF>${suffix} <MID>`,
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

/** Cuts a completion at the first control token that leaked into it. */
export function cutAtStops(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}
