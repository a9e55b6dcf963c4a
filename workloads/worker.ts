/**
 * The worker a case runs in: reads one case spec from stdin, runs it, and speaks
 * the protocol (src/core/protocol.ts) on stdout. One process per case, so a crash, a
 * leak or a hung kernel costs one case, never the run.
 */
import { caseSpecSchema, type CaseSpec, type ResultMessage } from "../src/core/protocol.js";
import { FrameworkUnavailableError } from "./frameworks/types.js";
import { protectStdout, type Emit } from "./protocol-writer.js";
import { runFeatureCase } from "./resnet50/case.js";
import { runTrainingCase } from "./training/case.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function runCase(spec: CaseSpec, emit: Emit): Promise<ResultMessage> {
  switch (spec.workload) {
    case "resnet50-features":
      return runFeatureCase(spec, emit);
    case "cnn-cifar10":
    case "rnn-imdb":
      return runTrainingCase(spec, emit);
  }
}

async function main(): Promise<number> {
  const emit = protectStdout();
  let spec: CaseSpec;
  try {
    spec = caseSpecSchema.parse(JSON.parse(await readStdin()));
  } catch (err) {
    emit({ type: "error", kind: "failed", message: `invalid case spec on stdin: ${String(err)}` });
    return 2;
  }
  try {
    emit({ type: "progress", phase: "load", done: 0, total: 1, message: `loading ${spec.framework}` });
    emit(await runCase(spec, emit));
    return 0;
  } catch (err) {
    const unavailable = err instanceof FrameworkUnavailableError;
    const message = err instanceof Error ? err.message : String(err);
    emit({ type: "error", kind: unavailable ? "unavailable" : "failed", message });
    if (!unavailable && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
    return unavailable ? 0 : 1;
  }
}

// Exit explicitly: native backends can keep thread pools alive after the work is done.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`worker crashed: ${String(err)}\n`);
    process.exit(1);
  },
);
