import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { problemsReport, SettingsProblemNews } from '../../../src/core/settings/settingsProblemNews';

/** The notifications one read of `providers` raises: the report's notice, when there is one. */
function noticesOf(news: SettingsProblemNews, providers: unknown): string[] {
  const report = problemsReport(news.read(parseProviders(providers).problems));
  return report ? [report.notice] : [];
}

describe('settings problems are said once per save', () => {
  it('a save that breaks three entries is one notification, naming the first and counting the rest', () => {
    const news = new SettingsProblemNews();
    const notices = noticesOf(news, [
      { id: 'a', preset: 'opnai' },
      { id: 'b', preset: 'ollama', baseUrl: 'localhost:11434' },
      { id: 'c' },
    ]);
    assert.equal(notices.length, 1, JSON.stringify(notices));
    assert.match(notices[0]!, /preset "opnai" is not a known preset/);
    assert.match(notices[0]!, /2 more problems are listed in Output › Switchboard\.$/);
  });

  it('every problem reaches the log, a list of thousands only up to a bound', () => {
    const few = problemsReport(new SettingsProblemNews().read(parseProviders([{ id: 'a' }, 7]).problems));
    assert.equal(few?.log.length, 2);
    assert.match(few?.notice ?? '', /One more problem is listed/);

    const huge = Array.from({ length: 10_000 }, (_, index) => ({ id: `e${index}`, preset: 'nope' }));
    const report = problemsReport(new SettingsProblemNews().read(parseProviders(huge).problems));
    assert.match(report?.notice ?? '', /9,999 more problems/);
    assert.equal(report?.log.length, 51);
    assert.match(report?.log[50] ?? '', /9,950 more settings problems/);
  });

  it('one problem reads as before, and an entry still broken while it is edited is not news again', () => {
    const news = new SettingsProblemNews();
    assert.deepEqual(
      noticesOf(news, [{ id: 'x', preset: 'o' }]).map((text) => /preset "o"/.test(text) && !/more problem/.test(text)),
      [true],
    );
    assert.deepEqual(noticesOf(news, [{ id: 'x', preset: 'op' }]), []);
    assert.deepEqual(noticesOf(news, [{ id: 'x', preset: 'openai' }]), []);
    assert.equal(
      noticesOf(news, [
        { id: 'x', preset: 'openai' },
        { id: 'x', preset: 'openai' },
      ]).length,
      1,
    );
  });
});
