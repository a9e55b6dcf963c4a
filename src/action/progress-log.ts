/** Progress in the Actions log, through @actions/core only. */
import * as core from "@actions/core";
import { describeOutcome, describeProgress, type Reporter } from "../core/progress.js";

export function actionsReporter(): Reporter {
  let lastPhase = "";
  return {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    caseStarted: (spec, index, total) => {
      lastPhase = "";
      core.startGroup(`[${index + 1}/${total}] ${spec.id}`);
    },
    caseProgress: (spec, p) => {
      // One line per phase and one per completed phase: enough to see a hang, not a flood.
      if (p.phase !== lastPhase || p.done === p.total) core.info(`${spec.id}: ${describeProgress(p)}`);
      lastPhase = p.phase;
    },
    caseFinished: (spec, outcome) => {
      core.info(`${spec.id}: ${describeOutcome(outcome)}`);
      if (outcome.status === "failed" && outcome.stderrTail) core.info(`stderr (last lines):\n${outcome.stderrTail}`);
      core.endGroup();
      if (outcome.status === "unavailable") core.warning(`${spec.id} is unavailable: ${outcome.reason ?? ""}`);
    },
  };
}
