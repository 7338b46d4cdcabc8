import { findPreset } from '../providers/presets';
import { hostOf } from './loopback';

/**
 * A backend's name with the host it sends requests to, whenever that host is not the preset's own:
 * "Ollama (local)" stays as it is, a gateway or a server found in some file reads
 * "OpenAI-compatible server · gpu.example.com:8000", so the user sees where a key would go.
 */
export function nameWithHost(name: string, presetId: string, baseUrl: string | undefined): string {
  const host = hostOf(baseUrl);
  if (!host) return name;
  const presetHost = hostOf(findPreset(presetId)?.baseUrl);
  if (host === presetHost || name.includes(host)) return name;
  return `${name} · ${host}`;
}
