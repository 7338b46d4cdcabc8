/**
 * Which of a detected server's models a new backend asks for. Ollama and LM Studio serve what the
 * user pulled or downloaded, under those names, and answer 404 for any other: the preset's
 * defaults are only a guess at what a typical setup holds.
 */

/** The models chosen for each role; a role left out keeps the preset's default. */
export interface ModelChoice {
  chatModel?: string;
  completionModel?: string;
}

/** Embedding and reranking models answer neither chat nor completion. */
const EMBEDDING = /embed|rerank/i;
/** Code models: `qwen2.5-coder`, `codellama`, `starcoder2`, `codegemma`, `codestral`. */
const CODE = /code/i;
/** A base (pretrained) model: the kind trained for fill-in-the-middle, and poor at conversation. */
const BASE = /(^|[^a-z])base([^a-z]|$)/i;
const INSTRUCT = /instruct|chat/i;

/**
 * A role keeps the preset's default when the server has it. Otherwise completion takes a code
 * model, a base one first (those fill in the middle), and chat an instruction-tuned one. None of
 * `models` usable (none listed, or embeddings only): nothing is chosen, and the preset's defaults
 * stand, so the failure names a model to pull.
 */
export function chooseDetectedModels(
  defaults: { chatModel: string; completionModel: string },
  models: readonly string[],
): ModelChoice {
  const usable = models.filter((model) => !EMBEDDING.test(model));
  const code = usable.filter((model) => CODE.test(model));
  const completionModel = models.includes(defaults.completionModel)
    ? defaults.completionModel
    : (code.find((model) => BASE.test(model)) ??
      // An unmarked code model is often the base one (LM Studio's `qwen2.5-coder-1.5b`).
      code.find((model) => !INSTRUCT.test(model)) ??
      code[0] ??
      usable[0]);
  // Ollama's unmarked tags are instruction-tuned (`qwen2.5-coder:7b`), LM Studio's often not: a
  // model that says it is comes first.
  const chatty = usable.filter((model) => !BASE.test(model));
  const chatModel = models.includes(defaults.chatModel)
    ? defaults.chatModel
    : (chatty.find((model) => CODE.test(model) && INSTRUCT.test(model)) ??
      chatty.find((model) => INSTRUCT.test(model)) ??
      chatty.find((model) => CODE.test(model)) ??
      chatty[0] ??
      completionModel);
  return { ...(chatModel && { chatModel }), ...(completionModel && { completionModel }) };
}
