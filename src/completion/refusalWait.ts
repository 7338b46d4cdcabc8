import type { ProviderConfig } from '../core/settings/providerSettings';
import type * as vscode from 'vscode';
import { completionWait, type CompletionWait } from '../core/usage/completionWait';
import { log } from '../log';
import type { LimitMonitor } from '../usage/limitMonitor';

/**
 * Keeps automatic completion from asking a backend the server has refused for its quota, balance
 * or key until it may answer again (see `completionWait`); asking for one always goes.
 */
export class RefusalWait {
  private lastLogged: string | undefined;
  /** When the backends' settings or keys last changed: a refusal before it was of another key. */
  private changedAt = Number.NEGATIVE_INFINITY;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly limits: Pick<LimitMonitor, 'stateOf'>,
    onBackendsChange: vscode.Event<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.subscription = onBackendsChange(() => (this.changedAt = this.now()));
  }

  /** What automatic completion on `config` waits for, if anything. */
  waitOf(config: ProviderConfig): CompletionWait | undefined {
    return completionWait(this.limits.stateOf(config.id), this.now(), this.changedAt);
  }

  allow(config: ProviderConfig, invoked: boolean): boolean {
    const wait = this.waitOf(config);
    if (!wait || invoked) return true;
    const key = `${config.id}:${wait.kind}:${wait.until}`;
    if (key !== this.lastLogged) {
      this.lastLogged = key;
      log().info(
        `Automatic completion on ${config.name} waits until ${new Date(wait.until).toISOString()}: the server refused it (${wait.kind}).`,
      );
    }
    return false;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
