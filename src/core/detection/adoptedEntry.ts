/**
 * What adopting a backend found on this machine writes to `switchboard.providers`: the found
 * entry under an id no other entry has, without the fields detection left empty.
 */

/** A provider entry as detection found it. */
export interface DetectedEntry {
  id: string;
  preset: string;
  name: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  chatModel?: string;
}

/** The settings entry for `entry`; `takenIds` are the ids of the entries already configured. */
export function adoptedEntry(entry: DetectedEntry, takenIds: ReadonlySet<unknown>): DetectedEntry {
  let id = entry.id;
  for (let n = 2; takenIds.has(id); n++) id = `${entry.id}-${n}`;
  const adopted: DetectedEntry = { ...entry, id };
  for (const key of Object.keys(adopted) as (keyof DetectedEntry)[])
    if (adopted[key] === undefined) delete adopted[key];
  return adopted;
}
