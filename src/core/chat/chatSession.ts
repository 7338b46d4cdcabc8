/**
 * The chat's behaviour without the editor: ask, stream, stop, regenerate, switch conversations,
 * keep history, count the cost. The host supplies the backend, the ledger and the storage, and
 * turns the events into messages for the webview.
 */
import type { Currency } from '../usage/money';
import { ProviderError } from '../providers/providerError';
import type { ContextFit, Provider, SentLimits, Usage } from '../providers/types';
import { estimateTokens } from '../providers/usage';
import { meterRequest } from '../usage/meterRequest';
import { isLoopbackUrl } from '../net/loopback';
import type { ProviderConfig } from '../settings/providerSettings';
import { questionTurn, type ContextItem } from './contextItems';
import { contextCutNotice, contextFitNotice } from './contextCut';
import {
  promptMessages,
  requestText,
  titleOf,
  type AssistantTurn,
  type Conversation,
  type RetriedUsage,
  type Turn,
} from './conversation';
import { explainFailure, failureFacts } from './explainFailure';
import type { ChatHistoryStore } from './historyStore';
import { SessionTotals } from './usageText';

/**
 * A long answer is saved this often while it streams, so a crash or reload loses little; not
 * more often, since each save writes the extension's whole workspace state.
 */
const CHECKPOINT_MS = 10_000;

export interface ChatBackend {
  provider: Provider;
  config: ProviderConfig;
}

/** One request, for the usage ledger. */
export interface ChatRequestRecord {
  config: ProviderConfig;
  model: string;
  startedAt: number;
  /** As reported by the backend; absent when it reported nothing (stopped, failed). */
  usage?: Usage;
  promptText: string;
  /** What the model wrote: the reasoning it streamed (billed as output, never shown), then the answer. */
  outputText: string;
  /** Of `outputText`, the reasoning. */
  reasoningText?: string;
  error?: ProviderError;
}

export type SessionEvent =
  /** The active conversation was replaced (opened, new, deleted): draw it again whole. */
  | { type: 'conversation' }
  /** A turn of the active conversation was added or changed. */
  | { type: 'turn'; turn: Turn }
  | { type: 'turn-removed'; id: string }
  | { type: 'delta'; turnId: string; text: string }
  /** The answer's model reasons before it answers (said once, before its first delta). */
  | { type: 'thinking'; turnId: string }
  | { type: 'busy'; busy: boolean }
  | { type: 'history' }
  | { type: 'totals' }
  /** One short sentence for the status line, about something the turns alone do not say. */
  | { type: 'notice'; text: string };

export interface ChatSessionDeps {
  store: ChatHistoryStore;
  /** The chat backend now, or undefined when none is configured. May throw. */
  backend(): Promise<ChatBackend | undefined>;
  /**
   * Records the request in the ledger and returns what it counted (tokens reported or estimated,
   * cost in its currency): the answer shows exactly what was metered. Undefined when nothing meters.
   */
  record(request: ChatRequestRecord): RecordedUsage | undefined;
  /**
   * Holds a request's worst case while it runs, so budgets count it before it is recorded;
   * returns the release, called once the request is recorded or, whatever happened, has ended.
   */
  reserve?(config: ProviderConfig, model: string, promptText: string): () => void;
  /** Whether the configured backend `backendId` is on this machine (see `onThisMachine`); undefined when it is no longer configured. */
  backendOnThisMachine?(backendId: string): boolean | undefined;
  /**
   * Asks before a conversation answered on this machine goes, whole, to a backend elsewhere; false
   * sends nothing. Asked once per conversation and backend.
   */
  confirmShare?(share: ConversationShare): Promise<boolean>;
  now(): number;
  newId(): string;
  warn(message: string): void;
  emit(event: SessionEvent): void;
}

/** A conversation held on this machine that the next request would send elsewhere. */
export interface ConversationShare {
  /** The local backends that answered what would be sent. */
  from: string[];
  /** The backend it would go to. */
  to: string;
  /** The estimate of what the request would carry, the question still to come aside. */
  tokens: number;
}

interface Flight {
  controller: AbortController;
  conversation: Conversation;
}

/** What the ledger counted for one request: the tokens (reported or estimated) and the cost in its currency. */
export interface RecordedUsage {
  inputTokens: number;
  outputTokens: number;
  reported: boolean;
  costMicros: number | null;
  currency: Currency;
}

/** Whether a backend's server is this machine: where a conversation held with it stayed. */
export function onThisMachine(config: ProviderConfig): boolean {
  return isLoopbackUrl(config.baseUrl);
}

/** Whether an answer being regenerated is worth more than the attempt to replace it that ended. */
function keepsEarlier(earlier: AssistantTurn, attempt: AssistantTurn): boolean {
  if (attempt.status === 'complete') return false;
  return earlier.status === 'complete' || earlier.text.length > attempt.text.length;
}

function unpricedUsage(request: Parameters<typeof meterRequest>[0]): RecordedUsage {
  const { usage } = meterRequest(request, () => ({ micros: null, source: 'unknown' }));
  return { ...usage, costMicros: null, currency: 'USD' };
}

/** The attempts sent again, together: a cost any of them lacks makes the sum unknown. */
function retriedUsage(attempts: readonly RecordedUsage[]): RetriedUsage {
  let costMicros: number | null = 0;
  for (const attempt of attempts)
    costMicros = costMicros === null || attempt.costMicros === null ? null : costMicros + attempt.costMicros;
  return {
    requests: attempts.length,
    inputTokens: attempts.reduce((sum, attempt) => sum + attempt.inputTokens, 0),
    outputTokens: attempts.reduce((sum, attempt) => sum + attempt.outputTokens, 0),
    costMicros,
  };
}

export class ChatSession {
  private conversation: Conversation;
  private flight: Flight | undefined;
  /** What to say of an answer once it is drawn finished (what its request left out to fit). */
  private readonly afterTurn = new WeakMap<AssistantTurn, string>();
  /** `conversation id → backend id` the user agreed to send a conversation held on this machine to. */
  private readonly shared = new Set<string>();
  readonly totals = new SessionTotals();

  constructor(private readonly deps: ChatSessionDeps) {
    const activeId = deps.store.activeId();
    this.conversation = (activeId && deps.store.get(activeId)) || this.blank();
  }

  get active(): Conversation {
    return this.conversation;
  }

  get busy(): boolean {
    return this.flight !== undefined;
  }

  /** The id of the answer streaming in the active conversation, if any. */
  get streamingTurnId(): string | undefined {
    if (this.flight?.conversation !== this.conversation) return undefined;
    const last = this.conversation.turns[this.conversation.turns.length - 1];
    return last?.role === 'assistant' && last.status === 'streaming' ? last.id : undefined;
  }

  /**
   * Asks `question` with `context`; false when an answer is still streaming, there is nothing to
   * ask, or the user would not let the conversation go where the backend is (see `confirmShare`).
   * `accepted` is called as the question joins the conversation, before its answer comes.
   */
  async send(question: string, context: readonly ContextItem[], accepted?: () => void): Promise<boolean> {
    const text = question.trim();
    if (this.flight || !text) return false;
    const conversation = this.conversation;
    const allowed = this.mayShare(conversation);
    if (allowed !== true && !(await allowed)) return false;
    const turn = questionTurn(this.deps.newId(), text, context, this.deps.now());
    conversation.turns.push(turn);
    this.emitTurn(conversation, turn);
    accepted?.();
    await this.answer(conversation);
    return true;
  }

  /**
   * Asks the last question again, replacing its answer; false when there is none or one is
   * streaming. The answer replaced comes back if its replacement does not complete and it had
   * more: a complete answer always, one cut off (stopped, failed) when the new attempt got less
   * of an answer than it had.
   */
  async regenerate(): Promise<boolean> {
    if (this.flight) return false;
    const conversation = this.conversation;
    const turns = conversation.turns;
    const last = turns[turns.length - 1];
    const question = last?.role === 'assistant' ? turns[turns.length - 2] : last;
    if (question?.role !== 'user') return false;
    const allowed = this.mayShare(conversation);
    if (allowed !== true && !(await allowed)) return false;
    if (last?.role === 'assistant') {
      turns.pop();
      this.deps.emit({ type: 'turn-removed', id: last.id });
    }
    await this.answer(conversation, last?.role === 'assistant' && last.text !== '' ? last : undefined);
    return true;
  }

  stop(): void {
    this.flight?.controller.abort();
  }

  /**
   * The view is going (a window closing or reloading): what has come of an answer in flight is
   * written now, before the abort unwinds the stream, since nothing after dispose may get to run.
   * Read back, a streaming answer is a stopped one.
   */
  close(): void {
    const flight = this.flight;
    if (flight) void this.save(flight.conversation);
    this.stop();
  }

  newChat(): void {
    this.stop();
    this.conversation = this.blank();
    void this.persist(this.deps.store.setActive(undefined));
    this.deps.emit({ type: 'conversation' });
    this.deps.emit({ type: 'history' });
  }

  open(id: string): boolean {
    const conversation = this.deps.store.get(id);
    if (!conversation) return false;
    if (conversation === this.conversation) return true;
    this.stop();
    this.conversation = conversation;
    void this.persist(this.deps.store.setActive(id));
    this.deps.emit({ type: 'conversation' });
    this.deps.emit({ type: 'history' });
    return true;
  }

  /** A stored conversation's title, as the history lists it; undefined when there is none by that id. */
  titleOf(id: string): string | undefined {
    const conversation = this.deps.store.get(id);
    return conversation && titleOf(conversation);
  }

  async delete(id: string): Promise<void> {
    // Away from it before its answer is stopped: that answer ends while the store is written, and
    // must find it no longer on screen (the store refuses to save it again).
    const wasOpen = this.conversation.id === id;
    if (wasOpen) {
      this.conversation = this.blank();
      this.deps.emit({ type: 'conversation' });
    }
    if (this.flight?.conversation.id === id) this.stop();
    await this.persist(this.deps.store.delete(id));
    this.deps.emit({ type: 'history' });
  }

  /** `earlier`: the answer this one replaces, kept if this one does not complete and had more (see `regenerate`). */
  private async answer(conversation: Conversation, earlier?: AssistantTurn): Promise<void> {
    const flight: Flight = { controller: new AbortController(), conversation };
    this.flight = flight;
    this.deps.emit({ type: 'busy', busy: true });
    const turn: AssistantTurn = {
      role: 'assistant',
      id: this.deps.newId(),
      text: '',
      status: 'streaming',
      at: this.deps.now(),
    };
    try {
      let backend: ChatBackend | undefined;
      let setupError: unknown;
      try {
        backend = await this.deps.backend();
      } catch (error) {
        setupError = error;
      }
      if (backend)
        Object.assign(turn, {
          backendId: backend.config.id,
          backendName: backend.config.name,
          model: backend.config.chatModel,
        });
      conversation.turns.push(turn);
      conversation.updatedAt = turn.at;
      this.emitTurn(conversation, turn);
      void this.save(conversation);
      if (flight.controller.signal.aborted) turn.status = 'stopped';
      else if (backend) await this.stream(backend, conversation, turn, flight.controller.signal);
      else {
        turn.status = 'failed';
        turn.error = setupError
          ? failureFacts(setupError)
          : { kind: 'no-backend', message: 'No chat backend is configured.' };
      }
    } finally {
      this.flight = undefined;
      conversation.updatedAt = this.deps.now();
      if (earlier && keepsEarlier(earlier, turn)) this.restore(conversation, turn, earlier);
      else this.emitTurn(conversation, turn);
      const notice = this.afterTurn.get(turn);
      this.afterTurn.delete(turn);
      if (notice && conversation === this.conversation) this.deps.emit({ type: 'notice', text: notice });
      this.deps.emit({ type: 'busy', busy: false });
      this.deps.emit({ type: 'totals' });
      await this.save(conversation);
      this.deps.emit({ type: 'history' });
    }
  }

  private async stream(
    backend: ChatBackend,
    conversation: Conversation,
    turn: AssistantTurn,
    signal: AbortSignal,
  ): Promise<void> {
    const { config } = backend;
    const model = config.chatModel;
    const messages = promptMessages(conversation.turns.slice(0, -1));
    const promptText = requestText(messages);
    const release = this.deps.reserve?.(config, model, promptText);
    try {
      await this.streamAndRecord(backend, conversation, turn, signal, messages, promptText);
    } finally {
      release?.();
    }
  }

  /** Records an attempt the provider sent again after it failed; its answer is in the next one. */
  private recordRetried(
    config: ProviderConfig,
    model: string,
    startedAt: number,
    promptText: string,
    error: ProviderError,
  ): RecordedUsage {
    const request = { config, model, startedAt, promptText, outputText: '', error };
    try {
      const recorded = this.deps.record(request);
      if (recorded) return recorded;
    } catch (recordError) {
      this.deps.warn(`Could not record a chat request to ${config.id}: ${String(recordError)}`);
    }
    return unpricedUsage(request);
  }

  private async streamAndRecord(
    backend: ChatBackend,
    conversation: Conversation,
    turn: AssistantTurn,
    signal: AbortSignal,
    messages: ReturnType<typeof promptMessages>,
    promptText: string,
  ): Promise<void> {
    const { config } = backend;
    const model = config.chatModel;
    const startedAt = this.deps.now();
    let lastSave = startedAt;
    let reasoning = '';
    let saidThinking = false;
    let reported: Usage | undefined;
    let fit: ContextFit | undefined;
    let error: unknown;
    /** Something came after Stop and was not shown: the answer is not complete, whatever it reports. */
    let droppedAfterStop = false;
    /** What the ledger recorded for each attempt sent again. */
    const retried: RecordedUsage[] = [];
    try {
      const onSent = (limits: SentLimits) => (fit = limits.context);
      // A failed attempt sent again is a request of its own: a plan that counts requests counts it.
      const onRetry = (failed: ProviderError) =>
        void retried.push(this.recordRetried(config, model, startedAt, promptText, failed));
      for await (const event of backend.provider.chat({ messages, model, signal, onSent, onRetry })) {
        if (event.type === 'done') {
          reported = event.usage;
          continue;
        }
        // After Stop nothing more is shown, but the stream is not left by a break: that would end
        // the provider's generator without its catch, and with it what the server counted (the
        // input in Anthropic's message_start). The provider hears the same signal and ends the
        // stream itself, saying what the request used.
        if (signal.aborted) {
          droppedAfterStop = true;
          continue;
        }
        if (event.type === 'thinking') {
          if (!saidThinking && turn.text === '' && conversation === this.conversation)
            this.deps.emit({ type: 'thinking', turnId: turn.id });
          saidThinking = true;
          // Never the answer, but counted with it when the backend reports no usage.
          reasoning += event.text;
          continue;
        }
        turn.text += event.text;
        if (conversation === this.conversation) this.deps.emit({ type: 'delta', turnId: turn.id, text: event.text });
        if (this.deps.now() - lastSave >= CHECKPOINT_MS) {
          lastSave = this.deps.now();
          void this.save(conversation);
        }
      }
    } catch (caught) {
      error = caught;
    }
    // A backend that reported its usage finished the answer, whatever came after.
    const complete = !droppedAfterStop && (reported !== undefined || (error === undefined && !signal.aborted));
    const stopped = !complete && (signal.aborted || ProviderError.is(error, 'cancelled'));
    turn.status = complete ? 'complete' : stopped ? 'stopped' : 'failed';
    const cut = fit
      ? contextFitNotice(config.name, fit)
      : config.preset.local && reported?.reported
        ? contextCutNotice(config.name, estimateTokens(promptText), reported.inputTokens)
        : undefined;
    // Said once the finished answer is drawn (see `answer`): drawing it says "Answer complete".
    if (cut) this.afterTurn.set(turn, cut);
    if (turn.status === 'failed')
      turn.error = failureFacts(error, {
        id: config.id,
        name: config.name,
        model,
        protocol: config.preset.protocol,
      });
    const recordedError = complete
      ? undefined
      : ProviderError.is(error)
        ? error
        : stopped
          ? new ProviderError({ kind: 'cancelled', providerId: config.id, message: 'Stopped by the user.' })
          : undefined;
    const request = {
      config,
      model,
      startedAt,
      usage: reported,
      promptText,
      outputText: reasoning + turn.text,
      reasoningText: reasoning,
      error: recordedError,
    };
    let recorded: RecordedUsage | undefined;
    try {
      recorded = this.deps.record(request);
    } catch (recordError) {
      this.deps.warn(`Could not record a chat request to ${config.id}: ${String(recordError)}`);
    }
    // Without a meter the same counting rule still applies, with the price unknown.
    const counted = recorded ?? unpricedUsage(request);
    // The meter counts nothing for a request refused before the model ran or never sent (a bad key,
    // a spent quota, no connection): shown without a made-up cost. Any other failure (a 500, a
    // timeout) may be billed, and shows what the ledger charged.
    const charged = [counted, ...retried].some(
      (usage) => usage.inputTokens > 0 || usage.outputTokens > 0 || (usage.costMicros ?? 0) > 0,
    );
    if (turn.status === 'failed' && !charged) return;
    turn.usage = {
      inputTokens: counted.inputTokens,
      outputTokens: counted.outputTokens,
      reported: counted.reported,
      costMicros: counted.costMicros,
      ...(counted.currency !== 'USD' && { currency: counted.currency }),
      ...(config.plan && { inPlan: true }),
      // What the backend said of its output: shown beside it, so a long reasoning is no surprise.
      ...(counted.reported &&
        reported?.reasoningTokens !== undefined &&
        reported.reasoningTokens <= counted.outputTokens && { reasoningTokens: reported.reasoningTokens }),
      ...(retried.length && { retried: retriedUsage(retried) }),
    };
    this.totals.add(turn.usage);
  }

  /**
   * Whether the next request of `conversation` may go to the chat backend: true unless it would take
   * answers given on this machine to a backend elsewhere and the user, asked, says no. Decided at
   * once, without a wait, for a conversation with no such answer; after a wait, false also when
   * another request started or another conversation was opened meanwhile.
   */
  private mayShare(conversation: Conversation): boolean | Promise<boolean> {
    const { confirmShare, backendOnThisMachine } = this.deps;
    if (!confirmShare || !backendOnThisMachine) return true;
    const turns = conversation.turns;
    const from = new Set<string>();
    for (const [i, turn] of turns.entries()) {
      // The answers the next request carries: complete ones, each after its question.
      const sent = turn.role === 'assistant' && turn.status === 'complete' && turns[i - 1]?.role === 'user';
      if (sent && turn.backendId !== undefined && backendOnThisMachine(turn.backendId))
        from.add(turn.backendName ?? turn.backendId);
    }
    if (from.size === 0) return true;
    return this.askToShare(conversation, [...from], confirmShare);
  }

  private async askToShare(
    conversation: Conversation,
    from: string[],
    confirmShare: NonNullable<ChatSessionDeps['confirmShare']>,
  ): Promise<boolean> {
    let backend: ChatBackend | undefined;
    try {
      backend = await this.deps.backend();
    } catch {
      // The request fails the same way, and says why.
      backend = undefined;
    }
    let agreed = true;
    const key = backend && `${conversation.id} ${backend.config.id}`;
    if (backend && key && !onThisMachine(backend.config) && !this.shared.has(key)) {
      const tokens = estimateTokens(requestText(promptMessages(conversation.turns)));
      agreed = await confirmShare({ from, to: backend.config.name, tokens });
      if (agreed) this.shared.add(key);
    }
    return agreed && !this.flight && conversation === this.conversation;
  }

  /** Puts a good answer back in place of the attempt to replace it that failed or was stopped. */
  private restore(conversation: Conversation, attempt: AssistantTurn, earlier: AssistantTurn): void {
    const at = conversation.turns.lastIndexOf(attempt);
    if (at === -1) conversation.turns.push(earlier);
    else conversation.turns[at] = earlier;
    if (conversation !== this.conversation) return;
    this.deps.emit({ type: 'turn-removed', id: attempt.id });
    this.deps.emit({ type: 'turn', turn: earlier });
    const headline = attempt.error && explainFailure(attempt.error, this.deps.now()).headline.replace(/\.$/, '');
    const why = attempt.status === 'failed' ? `failed${headline ? `: ${headline}` : ''}` : 'stopped';
    this.deps.emit({ type: 'notice', text: `Regenerating ${why}. The earlier answer is kept.` });
  }

  private emitTurn(conversation: Conversation, turn: Turn): void {
    if (conversation === this.conversation) this.deps.emit({ type: 'turn', turn });
  }

  private async save(conversation: Conversation): Promise<void> {
    if (conversation.turns.length === 0) return;
    let dropped: string[] = [];
    try {
      dropped = await this.deps.store.save(conversation);
    } catch (error) {
      this.deps.warn(`Could not save the chat history: ${String(error)}`);
    }
    // Never silently: the user learns which conversation went, and why.
    if (dropped.length > 0) {
      const [first] = dropped;
      const more = dropped.length > 1 ? ` and ${dropped.length - 1} more` : '';
      this.deps.emit({
        type: 'notice',
        text: `The chat history keeps at most ${this.deps.store.limitsText()}: the oldest conversation, "${first}"${more}, was removed.`,
      });
    }
    if (conversation === this.conversation && this.deps.store.activeId() !== conversation.id) {
      await this.persist(this.deps.store.setActive(conversation.id));
    }
  }

  private async persist(write: PromiseLike<void>): Promise<void> {
    try {
      await write;
    } catch (error) {
      this.deps.warn(`Could not save the chat history: ${String(error)}`);
    }
  }

  private blank(): Conversation {
    const now = this.deps.now();
    return { id: this.deps.newId(), createdAt: now, updatedAt: now, turns: [] };
  }
}
