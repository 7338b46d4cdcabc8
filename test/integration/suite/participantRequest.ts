/** A request to the `@switchboard` participant as VS Code's chat hands it over, and a stream that keeps the answer. */
import type * as vscode from 'vscode';

/** The subset of ChatResponseStream the participant uses, keeping what it was given. */
export function recordingStream() {
  const markdown: string[] = [];
  const progress: string[] = [];
  const stream = {
    markdown: (value: string | vscode.MarkdownString) => markdown.push(typeof value === 'string' ? value : value.value),
    progress: (value: string) => progress.push(value),
  };
  return { stream: stream as unknown as vscode.ChatResponseStream, markdown, progress };
}

export function chatRequest(prompt: string): vscode.ChatRequest {
  return { prompt, command: undefined, references: [], toolReferences: [] } as unknown as vscode.ChatRequest;
}
