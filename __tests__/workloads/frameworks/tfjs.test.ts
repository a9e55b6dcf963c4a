import { describe, expect, it } from "vitest";
import { FRAMEWORKS, FRAMEWORK_IDS } from "../../../src/core/catalog.js";
import { tfjsFlavourOf } from "../../../workloads/frameworks/tfjs.js";
import { FrameworkUnavailableError } from "../../../workloads/frameworks/types.js";

describe("the tfjs flavour of a case (one check for the feature and the training cases)", () => {
  it("accepts each flavour on the devices the catalog gives it, and names nothing else a flavour", () => {
    expect(tfjsFlavourOf("tfjs", "cpu")).toBe("tfjs");
    expect(tfjsFlavourOf("tfjs-node", "cpu")).toBe("tfjs-node");
    expect(tfjsFlavourOf("tfjs-node-gpu", "gpu")).toBe("tfjs-node-gpu");
    expect(tfjsFlavourOf("onnxruntime-node", "cpu")).toBeUndefined();
    expect(tfjsFlavourOf("onnxruntime-node", "gpu")).toBeUndefined();
  });

  it("makes a flavour on a device it does not run on unavailable, saying which", () => {
    const call = () => tfjsFlavourOf("tfjs-node-gpu", "cpu");
    expect(call).toThrow(FrameworkUnavailableError);
    expect(call).toThrow("tfjs-node-gpu does not run on the cpu");
    expect(() => tfjsFlavourOf("tfjs", "gpu")).toThrow("tfjs does not run on the gpu");
  });

  it("agrees with the catalog for every framework and device", () => {
    for (const id of FRAMEWORK_IDS) {
      for (const device of ["cpu", "gpu"] as const) {
        const runs = (FRAMEWORKS[id].devices as readonly string[]).includes(device);
        if (!id.startsWith("tfjs")) expect(tfjsFlavourOf(id, device)).toBeUndefined();
        else if (runs) expect(tfjsFlavourOf(id, device)).toBe(id);
        else expect(() => tfjsFlavourOf(id, device)).toThrow(FrameworkUnavailableError);
      }
    }
  });
});
