/**
 * How much of a plan's quota one request draws. Most plans count a request (or prompt) as one;
 * Z.ai's GLM Coding Plan draws more for its largest models: GLM-5.1 and GLM-5-Turbo take 3 prompts
 * in peak hours (14:00–18:00 UTC+8) and 2 off-peak (docs.z.ai/devpack/faq; its promotion of 1×
 * off-peak ran to the end of June 2026). Counted as one, the status bar would show a third of
 * the window used when it is spent.
 */
import { wallTime } from './zonedTime';

export interface PlanDraw {
  /** Model ids that draw more than one, matched without regard to case. */
  models: readonly string[];
  /** Peak hours on the zone's clock: from `fromHour` up to, not including, `toHour`. */
  peak: { fromHour: number; toHour: number; timeZone: string };
  /** Units one request of those models draws in peak hours, and outside them. */
  peakDraw: number;
  offPeakDraw: number;
}

/** Units of quota a request to `model` finished at `time` drew: 1 unless the plan says more. */
export function requestDraw(draw: PlanDraw | undefined, model: string, time: number): number {
  if (!draw || !draw.models.some((id) => id.toLowerCase() === model.toLowerCase())) return 1;
  const { hour } = wallTime(time, draw.peak.timeZone);
  return hour >= draw.peak.fromHour && hour < draw.peak.toHour ? draw.peakDraw : draw.offPeakDraw;
}
