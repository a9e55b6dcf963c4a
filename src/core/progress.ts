/** Progress of a run, told to a terminal or to the Actions log. */
import type { CaseSpec, ProgressMessage } from "./protocol.js";
import type { CaseOutcome } from "./protocol.js";
import { plainLine } from "./text.js";

export interface Reporter {
  info(message: string): void;
  warning(message: string): void;
  caseStarted(spec: CaseSpec, index: number, total: number): void;
  caseProgress(spec: CaseSpec, progress: ProgressMessage): void;
  caseFinished(spec: CaseSpec, outcome: CaseOutcome): void;
}

export function describeProgress(p: ProgressMessage): string {
  const count = p.total > 0 ? ` ${p.done}/${p.total}` : "";
  return `${p.phase}${count}${p.message ? ` (${plainLine(p.message)})` : ""}`;
}

export function describeOutcome(outcome: CaseOutcome): string {
  const time = `${outcome.durationS.toFixed(1)} s`;
  switch (outcome.status) {
    case "ok": {
      const ips = outcome.result?.metrics.images_per_s;
      return `ok in ${time}${ips !== undefined ? `: ${ips.toFixed(2)} images/s` : ""}`;
    }
    case "unavailable":
      return `unavailable: ${plainLine(outcome.reason ?? "no reason given")}`;
    case "failed":
      return `failed after ${time}: ${plainLine(outcome.reason ?? "no reason given")}`;
  }
}
