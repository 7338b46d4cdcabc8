/**
 * Reasoning written into the answer itself: a server that does not separate a thinking model's
 * reasoning (vLLM without a reasoning parser, older Ollama and LM Studio, llama.cpp with
 * `--reasoning-format none`) streams it as `<think>…</think>` at the start of the content. It is
 * not the answer: a chat would show it as text, and a completion would offer it as ghost text.
 *
 * The filter holds back what could still be the opening tag, drops everything up to the closing
 * one (keeping only enough of it to find that tag across chunks), and passes the rest through.
 * Content that does not open with the tag passes untouched.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkFiltered {
  /** The answer's text from this chunk on, possibly empty. */
  text: string;
  /** True once, when the content turned out to open with reasoning. */
  thinking: boolean;
  /** The reasoning dropped from this chunk on (billed as output, so a caller may count it). */
  reasoning: string;
}

export class ThinkTagFilter {
  private state: 'start' | 'inside' | 'after-close' | 'answer' = 'start';
  private held = '';

  push(chunk: string): ThinkFiltered {
    if (this.state === 'answer') return { text: chunk, thinking: false, reasoning: '' };
    this.held += chunk;
    if (this.state === 'start') {
      const lead = this.held.trimStart();
      if (lead.length < OPEN.length && OPEN.startsWith(lead)) return { text: '', thinking: false, reasoning: '' };
      if (!lead.startsWith(OPEN)) return { text: this.release(), thinking: false, reasoning: '' };
      this.state = 'inside';
      this.held = lead.slice(OPEN.length);
      return { ...this.afterReasoning(), thinking: true };
    }
    return { ...this.afterReasoning(), thinking: false };
  }

  /**
   * What is still held when the stream ends: a tag never finished is text; unfinished reasoning is
   * not (`unclosed` says so, for a caller that knows the stream was not cut short).
   */
  end(): { text: string; unclosed: boolean } {
    if (this.state === 'start' || this.state === 'after-close') return { text: this.release(), unclosed: false };
    const unclosed = this.state === 'inside';
    this.held = '';
    return { text: '', unclosed };
  }

  private afterReasoning(): { text: string; reasoning: string } {
    let reasoning = '';
    if (this.state === 'inside') {
      const close = this.held.indexOf(CLOSE);
      if (close === -1) {
        // Only a closing tag split across chunks needs to be kept.
        const kept = Math.min(this.held.length, CLOSE.length - 1);
        reasoning = this.held.slice(0, this.held.length - kept);
        this.held = this.held.slice(this.held.length - kept);
        return { text: '', reasoning };
      }
      reasoning = this.held.slice(0, close);
      this.held = this.held.slice(close + CLOSE.length);
      this.state = 'after-close';
    }
    // The blank lines between the reasoning and the answer are layout, not the answer's; spaces
    // alone may be either the answer's first indentation or the end of such a line, so they wait.
    this.held = this.held.replace(/^(?:[ \t]*\r?\n)+/, '');
    if (/^[ \t]*$/.test(this.held)) return { text: '', reasoning };
    return { text: this.release(), reasoning };
  }

  private release(): string {
    const text = this.held;
    this.held = '';
    this.state = 'answer';
    return text;
  }
}
