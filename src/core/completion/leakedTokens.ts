/**
 * Step 1 of post-processing: cut the model text at the first stop string or leaked FIM control
 * token, whatever the template, so no control token ever reaches the ghost text.
 */

/**
 * Control tokens of every FIM family we know, cut whatever the template: servers ignore stop
 * sequences, and a model may emit another family's tokens (continue #1420). From the model cards
 * of Qwen2.5-Coder, DeepSeek-Coder, StarCoder2, CodeLlama, Codestral, CodeGemma and Llama 3.
 * Case-sensitive on purpose: HTML's `<pre>` is not CodeLlama's `<PRE>`.
 */
const LEAKED_CONTROL_TOKENS: readonly string[] = [
  '<|fim_prefix|>',
  '<|fim_suffix|>',
  '<|fim_middle|>',
  '<|fim_pad|>',
  '<|endoftext|>',
  '<|file_sep|>',
  '<|repo_name|>',
  '<|im_start|>',
  '<|im_end|>',
  '<fim_prefix>',
  '<fim_suffix>',
  '<fim_middle>',
  '<fim_pad>',
  '<file_sep>',
  '<reponame>',
  '<｜fim▁begin｜>',
  '<｜fim▁hole｜>',
  '<｜fim▁end｜>',
  '<｜end▁of▁sentence｜>',
  '<|EOT|>',
  '<PRE>',
  '<SUF>',
  '<MID>',
  '<EOT>',
  '[PREFIX]',
  '[SUFFIX]',
  '[MIDDLE]',
  '</s>',
  '<|file_separator|>',
  '<end_of_turn>',
  '<eos>',
  '<|eot_id|>',
  '<|end_of_text|>',
];

/** Cuts `text` at the first of the template's `stops` or of any family's leaked control tokens. */
export function cutAtControlTokens(text: string, stops: readonly string[]): string {
  return cutAtFirst(text, [...stops, ...LEAKED_CONTROL_TOKENS]);
}

// An empty stop string is skipped rather than cutting everything.
function cutAtFirst(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}
