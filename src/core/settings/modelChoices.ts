/** A model in a pick, with what the pick says beside it. */
export interface ModelChoice {
  model: string;
  note?: string;
}

/**
 * The order a model pick lists `ids` (the server's own list) with the `current` model: first
 * when the server offers it, so Enter keeps it; last when it does not (a gateway's aliases, where a
 * preset's default is none), so Enter never picks a model the server would refuse on every request.
 */
export function modelChoices(ids: readonly string[], current: string): ModelChoice[] {
  const others = ids.filter((id) => id !== current).map((model) => ({ model }));
  if (ids.includes(current)) return [{ model: current, note: 'current' }, ...others];
  return [...others, { model: current, note: 'current · not offered by this server' }];
}
