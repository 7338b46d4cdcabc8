/**
 * What adopting a backend found on this machine writes to `switchboard.providers`: the found
 * entry under an id no other entry has, without the fields detection left empty, and, for a
 * server that listed its models, the ones it has for chat and completion.
 */
import { findPreset } from '../providers/presets';
import { chooseDetectedModels } from './detectedModels';

/** A provider entry as detection found it. */
export interface DetectedEntry {
  id: string;
  preset: string;
  name: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  chatModel?: string;
  completionModel?: string;
}

/**
 * The settings entry for `entry`; `takenIds` are the ids of the entries already configured, and
 * `models` what the server listed. A model the entry names itself is kept.
 */
export function adoptedEntry(
  entry: DetectedEntry,
  takenIds: ReadonlySet<unknown>,
  models: readonly string[] = [],
): DetectedEntry {
  let id = entry.id;
  for (let n = 2; takenIds.has(id); n++) id = `${entry.id}-${n}`;
  const adopted: DetectedEntry = { ...entry, id };
  for (const key of Object.keys(adopted) as (keyof DetectedEntry)[])
    if (adopted[key] === undefined) delete adopted[key];
  const preset = findPreset(entry.preset);
  return preset ? { ...chooseDetectedModels(preset, models), ...adopted } : adopted;
}
