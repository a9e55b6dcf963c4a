/**
 * onnxruntime-node's device proof: the session profiles its untimed pass, and
 * the profile's node events say which provider ran each node. Run for real on
 * the CPU provider: every node is on the CPU, which proves a CPU case and is
 * exactly what a GPU case that fell back would show.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { nodePlacement } from "../../../workloads/frameworks/ort-placement.js";
import { onnxruntimeExtractor } from "../../../workloads/frameworks/onnxruntime.js";
import { resnet50Spec, seededImages, seededWeights } from "../../../workloads/resnet50/architecture.js";
import { resnet50Onnx } from "../../../workloads/resnet50/onnx-graph.js";

const SIZE = 32;
const model = () => {
  const spec = resnet50Spec();
  return resnet50Onnx(spec, seededWeights(spec, 1), SIZE);
};

async function realProfile(): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), "rb-ort-profile-"));
  try {
    const session = await ort.InferenceSession.create(model(), {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
      enableProfiling: true,
      profileFilePrefix: join(dir, "p"),
    });
    const input = new ort.Tensor("float32", seededImages(1, 1, SIZE, 0), [1, 3, SIZE, SIZE]);
    await session.run({ [session.inputNames[0]!]: input });
    session.endProfiling();
    await session.release();
    const [file] = readdirSync(dir);
    return JSON.parse(readFileSync(join(dir, file!), "utf8"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("onnxruntime-node's node placement", () => {
  it("proves a CPU case, and refuses the same placement for a GPU case, naming the nodes", async () => {
    const trace = await realProfile();
    const cpu = nodePlacement(trace, "CPUExecutionProvider");
    expect(cpu.elsewhere).toEqual([]);
    expect(cpu.summary).toMatch(/^\d+ nodes on CPUExecutionProvider$/);
    const count = Number(cpu.summary.split(" ")[0]);
    expect(count).toBeGreaterThan(50); // 53 fused convolutions, pools, flatten
    const gpu = nodePlacement(trace, "CUDAExecutionProvider");
    expect(gpu.elsewhere).toHaveLength(count);
    expect(gpu.elsewhere).toContainEqual(expect.stringMatching(/ \(Conv\)$/));
  });

  it("keeps shape arithmetic on the host out of the count, and refuses a profile that says nothing", () => {
    const node = (name: string, op: string, provider: string) => ({
      cat: "Node",
      name: `${name}_kernel_time`,
      args: { op_name: op, provider },
    });
    const mixed = [
      node("conv", "Conv", "CUDAExecutionProvider"),
      node("shape", "Shape", "CPUExecutionProvider"),
      node("gap", "GlobalAveragePool", "CPUExecutionProvider"),
    ];
    expect(nodePlacement(mixed, "CUDAExecutionProvider")).toEqual({
      summary: "2 nodes on CPUExecutionProvider, 1 node on CUDAExecutionProvider",
      elsewhere: ["gap (GlobalAveragePool)"],
    });
    expect(() => nodePlacement([{ cat: "Session", name: "model_run" }], "CPUExecutionProvider")).toThrow(
      "the onnxruntime profile holds no node events",
    );
    expect(() => nodePlacement({}, "CPUExecutionProvider")).toThrow("not a JSON array");
  });

  it("records where a CPU case ran after its untimed pass, and leaves no profile behind", async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith("rosetta-bench-ort-")).length;
    const extractor = await onnxruntimeExtractor(model(), SIZE, "cpu", 1);
    const features = await extractor.infer(seededImages(1, 2, SIZE, 0), 2);
    expect(features).toHaveLength(2 * 2048);
    expect(await extractor.proveDevice!()).toMatch(/^\d+ nodes on CPUExecutionProvider$/);
    await extractor.dispose();
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith("rosetta-bench-ort-")).length).toBe(before);
  });
});
