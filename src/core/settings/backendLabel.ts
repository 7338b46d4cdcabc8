/**
 * What a backend is called everywhere the user reads it (picker, buttons, status bar, tooltip,
 * notifications, dashboard): the name they gave its entry, else its id. Two entries of one preset
 * (two Ollama hosts, two gateways) must never both read as the preset's name.
 */
import { findPreset } from '../providers/presets';

/** The entry's `name`, else its `id`. */
export function backendLabel(entry: { readonly id: string; readonly name?: string | undefined }): string {
  const name = entry.name?.trim();
  return name ? name : entry.id;
}

/** The preset, as the detail beside a label; undefined where the label already says it. */
export function backendDetail(config: {
  readonly name: string;
  readonly preset: { readonly name: string };
}): string | undefined {
  return config.preset.name === config.name ? undefined : config.preset.name;
}

/** The label cut to `max` characters for the status bar, with "…" where it was cut. */
export function shortLabel(label: string, max = 20): string {
  const chars = [...label];
  return chars.length <= max
    ? label
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * What a backend no longer configured (removed, its usage history kept) is called: the name its
 * ledger records carry, else its preset's name when its id is one ("deepseek-2" was added as a
 * second DeepSeek), else its id; always marked removed, so it is never taken for a backend in use.
 */
export function removedBackendLabel(id: string, recordedName?: string): string {
  const base = recordedName?.trim() || findPreset(id.replace(/-\d+$/, ''))?.name || id;
  // "Ollama (local)" reads "Ollama (local, removed)", not "Ollama (local) (removed)".
  return base.endsWith(')') ? `${base.slice(0, -1)}, removed)` : `${base} (removed)`;
}
