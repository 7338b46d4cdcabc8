import type { SettingsProblem } from './providerSettings';

/**
 * Which settings problems are news at each read, said as one notification per read: one save of
 * settings.json is one event, however many entries it broke (a pasted list of twenty entries
 * with a typo each would otherwise raise twenty notifications at once).
 *
 * A problem is news once per distinct text, and not while its setting was already broken at the
 * last read: that setting is being edited, and each save of a half-typed value (auto save makes
 * one a second) reads as another problem text, but it is the same event.
 */
export class SettingsProblemNews {
  private readonly said = new Set<string>();
  private broken = new Set<string>();

  /** The problems of this read that are news, in the order they were found. */
  read(problems: readonly SettingsProblem[]): SettingsProblem[] {
    const before = this.broken;
    this.broken = new Set(problems.map((problem) => problem.setting));
    const news: SettingsProblem[] = [];
    for (const problem of problems) {
      if (before.has(problem.setting) || this.said.has(problem.message)) continue;
      this.said.add(problem.message);
      news.push(problem);
    }
    return news;
  }
}

/** Problems a read writes to the log; a list of thousands of bad entries is not copied there whole. */
const MAX_LOGGED = 50;

export interface ProblemsReport {
  /** The one notification: the first problem in full, and how many more the log lists. */
  notice: string;
  /** Every problem of the read, for the log, up to `MAX_LOGGED` and a line for the rest. */
  log: string[];
}

/** What to say of the problems that are news at a read; undefined when there are none. */
export function problemsReport(news: readonly SettingsProblem[]): ProblemsReport | undefined {
  const [first, ...more] = news;
  if (!first) return undefined;
  const log = news.slice(0, MAX_LOGGED).map((problem) => problem.message);
  if (news.length > MAX_LOGGED)
    log.push(`…and ${(news.length - MAX_LOGGED).toLocaleString('en-US')} more settings problems like these.`);
  if (more.length === 0) return { notice: first.message, log };
  const rest = more.length === 1 ? 'One more problem is' : `${more.length.toLocaleString('en-US')} more problems are`;
  return { notice: `${first.message} ${rest} listed in Output › Switchboard.`, log };
}
