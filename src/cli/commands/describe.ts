/** rosetta-bench describe WORKLOAD [--framework ID] [--json]: the model's layers and parameter count. */
import { markdownTable } from "markdown-table";
import { FRAMEWORKS, WORKLOAD_IDS, type FrameworkId, type WorkloadId } from "../../core/catalog.js";
import { InputError, readChoice } from "../../configure/readers.js";
import { FRAMEWORK_IDS } from "../../core/catalog.js";
import { cnnLayerTable, CNN_PARAMETERS } from "../../../workloads/cnn/model.js";
import { GRU_PARAMETERS, rnnLayerTable } from "../../../workloads/rnn/model.js";
import { RESNET50_TRAINABLE_PARAMETERS } from "../../../workloads/resnet50/architecture.js";
import { resnet50LayerTable, type LayerRow } from "../../../workloads/resnet50/layers.js";
import type { Io } from "../io.js";

interface Description {
  workload: WorkloadId;
  framework?: FrameworkId;
  parameters: number;
  note: string;
  layers: LayerRow[];
}

function describeWorkload(workload: WorkloadId): Omit<Description, "workload"> {
  switch (workload) {
    case "cnn-cifar10":
      return {
        parameters: CNN_PARAMETERS,
        note: "VGG-style CNN of the reference (docs/workloads.md §1)",
        layers: cnnLayerTable(),
      };
    case "rnn-imdb":
      return {
        parameters: GRU_PARAMETERS,
        note: "the cuDNN GRU every headline framework of the reference ran (reset gate after the recurrent product, two bias vectors; PyTorch's nn.GRU)",
        layers: rnnLayerTable(),
      };
    case "resnet50-features":
      return {
        parameters: RESNET50_TRAINABLE_PARAMETERS,
        note: "trainable parameters up to the global pool (batch-norm running statistics are buffers)",
        layers: resnet50LayerTable(),
      };
  }
}

export function describeCommand(positionals: string[], framework: string | undefined, json: boolean, io: Io): number {
  const raw = positionals[1];
  if (!raw) throw new InputError(`describe needs a workload; accepted: ${WORKLOAD_IDS.join(", ")}`);
  const workload = readChoice("workload", raw, WORKLOAD_IDS);
  const fw = framework === undefined ? undefined : readChoice("--framework", framework, FRAMEWORK_IDS);
  if (fw && !(FRAMEWORKS[fw].workloads as readonly string[]).includes(workload)) {
    throw new InputError(`--framework: '${fw}' does not run ${workload}`);
  }
  const d: Description = { workload, ...(fw ? { framework: fw } : {}), ...describeWorkload(workload) };
  const sum = d.layers.reduce((a, l) => a + l.parameters, 0);
  if (sum !== d.parameters) throw new Error(`layer table of ${workload} sums to ${sum}, not ${d.parameters}`);
  if (json) {
    io.stdout.write(JSON.stringify(d, null, 2) + "\n");
    return 0;
  }
  const rows = d.layers.map((l) => [l.name, l.kind, l.output, l.parameters.toLocaleString("en-US"), l.settings]);
  io.stdout.write(
    `${workload}${fw ? ` (${fw})` : ""}: ${d.parameters.toLocaleString("en-US")} parameters: ${d.note}\n\n` +
      markdownTable([["Layer", "Kind", "Output", "Parameters", "Settings"], ...rows]) +
      "\n",
  );
  return 0;
}
