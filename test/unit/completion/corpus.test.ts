import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHAT_STYLES, loadCorpus, runCorpus } from './corpusCases';

/** The share of corpus cases the engine must get exactly right. */
const REQUIRED_PASS_RATIO = 0.95;
/** The same answers from a chat model, wrapped as chat models wrap them, meet the same bar. */
const REQUIRED_CHAT_RATIO = REQUIRED_PASS_RATIO;

describe('completion corpus: model answers across languages', () => {
  it('covers at least 20 languages', () => {
    const languages = new Set(loadCorpus().map((item) => item.languageId));
    assert.ok(languages.size >= 20, `${languages.size} languages: ${[...languages].join(', ')}`);
  });

  it(`inserts what a careful reader would in at least ${REQUIRED_PASS_RATIO * 100}% of the cases`, async (t) => {
    const outcomes = await runCorpus();
    const failed = outcomes.filter((outcome) => !outcome.pass);
    for (const outcome of failed) {
      t.diagnostic(
        `FAIL ${outcome.case.file} "${outcome.case.title}"\n  expected ${JSON.stringify(outcome.case.expected)}\n  actual   ${JSON.stringify(outcome.actual)}`,
      );
    }
    const ratio = (outcomes.length - failed.length) / outcomes.length;
    t.diagnostic(`corpus pass ratio ${ratio.toFixed(3)} (${outcomes.length - failed.length} of ${outcomes.length})`);
    assert.ok(
      ratio >= REQUIRED_PASS_RATIO,
      `pass ratio ${ratio.toFixed(3)}: ${failed.length} of ${outcomes.length} failed`,
    );
  });

  it('shows the same text when the answer streams in: nothing shown early, or kept after a stream stopped early, differs from the whole answer', async (t) => {
    const whole = await runCorpus();
    const streamed = await runCorpus(true);
    const differ = streamed.filter(
      (outcome, i) =>
        outcome.actual !== whole[i]?.actual || outcome.kept !== whole[i]?.kept || outcome.next !== whole[i]?.next,
    );
    assert.deepEqual(
      differ.map(
        (outcome) =>
          `${outcome.case.file} "${outcome.case.title}": ${JSON.stringify([outcome.actual, outcome.kept, outcome.next])}`,
      ),
      [],
    );
    const stopped = streamed.filter((outcome) => outcome.stoppedEarly).length;
    t.diagnostic(`${stopped} of ${streamed.length} streams stopped before the answer ended`);
    assert.ok(stopped > 0, 'the corpus has answers that run on past what is used');
  });

  for (const [style, overChat] of Object.entries(CHAT_STYLES)) {
    it(`over chat (${style}): inserts what a careful reader would in at least ${REQUIRED_CHAT_RATIO * 100}% of the cases`, async (t) => {
      const outcomes = await runCorpus(false, overChat);
      const failed = outcomes.filter((outcome) => !outcome.pass);
      for (const outcome of failed)
        t.diagnostic(
          `FAIL ${outcome.case.file} "${outcome.case.title}": expected ${JSON.stringify(outcome.case.expected)}, actual ${JSON.stringify(outcome.actual)}`,
        );
      const ratio = (outcomes.length - failed.length) / outcomes.length;
      t.diagnostic(
        `${style}: pass ratio ${ratio.toFixed(3)} (${outcomes.length - failed.length} of ${outcomes.length})`,
      );
      assert.ok(ratio >= REQUIRED_CHAT_RATIO, `pass ratio ${ratio.toFixed(3)}`);
    });

    it(`over chat (${style}): a streamed answer shows nothing early that its whole would not`, async () => {
      const whole = await runCorpus(false, overChat);
      const streamed = await runCorpus(true, overChat);
      const differ = streamed.flatMap((outcome, i) =>
        outcome.actual === whole[i]?.actual && outcome.kept === whole[i]?.kept && outcome.next === whole[i]?.next
          ? []
          : [
              `${outcome.case.file} "${outcome.case.title}": streamed ${JSON.stringify([outcome.actual, outcome.kept, outcome.next])}, whole ${JSON.stringify([whole[i]?.actual, whole[i]?.kept, whole[i]?.next])}`,
            ],
      );
      assert.deepEqual(differ, []);
    });
  }
});
