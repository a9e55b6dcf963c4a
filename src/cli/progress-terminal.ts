/** Progress on a terminal: one live line per case on a TTY, plain lines otherwise. */
import type { Reporter } from "../core/progress.js";
import { describeOutcome, describeProgress } from "../core/progress.js";

export function terminalReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  const live = stream.isTTY;
  let prefix = "";
  let lastPhase = "";
  const clear = () => {
    if (live) stream.write("\r\x1b[2K");
  };
  return {
    info: (m) => {
      clear();
      stream.write(`${m}\n`);
    },
    warning: (m) => {
      clear();
      stream.write(`warning: ${m}\n`);
    },
    caseStarted: (spec, index, total) => {
      prefix = `[${index + 1}/${total}] ${spec.id}`;
      lastPhase = "";
      stream.write(live ? `${prefix}: starting` : `${prefix}: starting\n`);
    },
    caseProgress: (_spec, p) => {
      if (live) {
        clear();
        stream.write(`${prefix}: ${describeProgress(p)}`);
      } else if (p.phase !== lastPhase || p.done === p.total) {
        // Without a TTY, one line per phase and one when it completes.
        stream.write(`${prefix}: ${describeProgress(p)}\n`);
      }
      lastPhase = p.phase;
    },
    caseFinished: (_spec, outcome) => {
      clear();
      stream.write(`${prefix}: ${describeOutcome(outcome)}\n`);
    },
  };
}
