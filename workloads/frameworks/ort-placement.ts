/**
 * Where onnxruntime ran a model's nodes, read from its own profile. onnxruntime
 * assigns each node to the first execution provider that has a kernel for it and
 * silently gives the rest to the CPU provider: a session created with CUDA can
 * still compute on the CPU. The profile's "Node" events name each node's provider
 * (args.provider); a GPU case reports figures only when every compute node ran on
 * CUDA.
 */

export type OrtProvider = "CUDAExecutionProvider" | "CPUExecutionProvider";

/** Ops onnxruntime keeps on the CPU by design whatever the provider (shape arithmetic, no tensor data). */
const HOST_OPS = new Set(["Shape", "Size"]);

export interface Placement {
  /** Nodes per provider, e.g. "57 nodes on CPUExecutionProvider". */
  summary: string;
  /** Compute nodes that ran on another provider than the one expected: "name (op)". */
  elsewhere: string[];
}

interface NodeEvent {
  cat?: unknown;
  name?: unknown;
  args?: { provider?: unknown; op_name?: unknown };
}

/** Reads a profile (the JSON array onnxruntime writes) and checks each node's provider. */
export function nodePlacement(trace: unknown, expected: OrtProvider): Placement {
  if (!Array.isArray(trace)) throw new Error("the onnxruntime profile is not a JSON array of events");
  // Each node appears as several events (fence before, kernel time, fence after): one per node.
  const nodes = new Map<string, { provider: string; op: string }>();
  for (const event of trace as NodeEvent[]) {
    if (event?.cat !== "Node" || typeof event.name !== "string" || typeof event.args?.provider !== "string") continue;
    const name = event.name.replace(/_(fence_before|fence_after|kernel_time)$/, "");
    const op = typeof event.args.op_name === "string" ? event.args.op_name : "?";
    nodes.set(name, { provider: event.args.provider, op });
  }
  if (!nodes.size) throw new Error("the onnxruntime profile holds no node events to say where the model ran");
  const counts = new Map<string, number>();
  const elsewhere: string[] = [];
  for (const [name, { provider, op }] of nodes) {
    counts.set(provider, (counts.get(provider) ?? 0) + 1);
    if (provider !== expected && !HOST_OPS.has(op)) elsewhere.push(`${name} (${op})`);
  }
  const summary = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([provider, n]) => `${n} node${n === 1 ? "" : "s"} on ${provider}`)
    .join(", ");
  return { summary, elsewhere };
}
