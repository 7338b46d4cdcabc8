/** A rough token count (about four characters a token), deterministic so tests can assert on it. */
export function approxTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Splits text into stream chunks of a word plus its following whitespace. */
export function chunkWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
