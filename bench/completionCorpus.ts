/**
 * `completion.corpus_pass_ratio`: the share of the completion corpus (test/unit/completion/corpus,
 * model answers for fill-in-the-middle prompts in 25 languages) where the engine inserts exactly
 * what a careful reader would. The baseline is the share of cases the corpus marks as the trivial
 * answer (the raw text's first line), to show what the rules add over "first line only".
 */
import { CHAT_STYLES, runCorpus } from '../test/unit/completion/corpusCases';
import { round, type Metrics } from './metrics';

export async function benchCompletionCorpus(): Promise<Metrics> {
  const outcomes = await runCorpus();
  const passed = outcomes.filter((outcome) => outcome.pass).length;
  const languages = new Set(outcomes.map((outcome) => outcome.case.languageId)).size;
  const firstLineOnly = outcomes.filter(
    (outcome) => outcome.case.raw.split('\n', 1)[0] === outcome.case.expected,
  ).length;
  const failed = outcomes
    .filter((outcome) => !outcome.pass)
    .map((outcome) => `${outcome.case.file}: ${outcome.case.title}`);
  return {
    'completion.corpus_pass_ratio': {
      value: round(passed / outcomes.length, 3),
      unit: 'ratio',
      better: 'higher',
      baseline: round(firstLineOnly / outcomes.length, 3),
      note: `${passed} of ${outcomes.length} cases in ${languages} languages; baseline = showing the raw answer's first line (${firstLineOnly} of ${outcomes.length})${failed.length ? `; failing: ${failed.join('; ')}` : ''}`,
    },
    ...(await chatCorpus()),
  };
}

/**
 * `completion.corpus_chat_pass_ratio`: the same answers as a chat model gives them when it fills
 * the hole (the route of every preset without a FIM endpoint), wrapped eight ways: the lowest share
 * over the wrappings, each one's in the note.
 */
async function chatCorpus(): Promise<Metrics> {
  const shares: string[] = [];
  let lowest = 1;
  for (const [style, overChat] of Object.entries(CHAT_STYLES)) {
    const outcomes = await runCorpus(false, overChat);
    const share = outcomes.filter((outcome) => outcome.pass).length / outcomes.length;
    lowest = Math.min(lowest, share);
    shares.push(`${style} ${round(share, 3)}`);
  }
  return {
    'completion.corpus_chat_pass_ratio': {
      value: round(lowest, 3),
      unit: 'ratio',
      better: 'higher',
      note: `the corpus answered over chat, lowest share over eight wrappings: ${shares.join(', ')}`,
    },
  };
}
