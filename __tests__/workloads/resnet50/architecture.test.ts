import { describe, expect, it } from "vitest";
import {
  RESNET50_TRAINABLE_PARAMETERS,
  allConvBns,
  countParameters,
  resnet50Spec,
  seededImages,
  seededWeights,
} from "../../../workloads/resnet50/architecture.js";

describe("ResNet-50 architecture description", () => {
  const spec = resnet50Spec();

  it("has the reference's 23,508,032 trainable parameters up to the pool", () => {
    expect(countParameters(spec)).toBe(RESNET50_TRAINABLE_PARAMETERS);
    expect(RESNET50_TRAINABLE_PARAMETERS).toBe(23_508_032);
  });

  it("has 3-4-6-3 bottlenecks, projection shortcuts where the shape changes, 53 convolutions", () => {
    const stages = [1, 2, 3, 4].map((s) => spec.blocks.filter((b) => b.name.startsWith(`layer${s}.`)).length);
    expect(stages).toEqual([3, 4, 6, 3]);
    expect(spec.blocks.filter((b) => b.shortcut).map((b) => b.name)).toEqual([
      "layer1.0",
      "layer2.0",
      "layer3.0",
      "layer4.0",
    ]);
    expect(allConvBns(spec)).toHaveLength(53);
    // v1.5: the stride of a downsampling block sits on its 3×3 convolution.
    expect(spec.blocks[3]?.main.map((l) => l.conv.stride)).toEqual([1, 2, 1]);
    expect(spec.blocks.at(-1)?.main[2].conv.outChannels).toBe(2048);
  });

  it("seeds the same weights for the same seed and different ones for another", () => {
    const a = seededWeights(spec, 7).get("layer1.0.conv2");
    const b = seededWeights(spec, 7).get("layer1.0.conv2");
    const c = seededWeights(spec, 8).get("layer1.0.conv2");
    expect(a?.kernel).toHaveLength(64 * 64 * 9);
    expect(a?.kernel).toEqual(b?.kernel);
    expect(a?.kernel[0]).not.toBe(c?.kernel[0]);
    // He-uniform bound for fan-in 576.
    const bound = Math.sqrt(6 / 576);
    expect(Math.max(...(a?.kernel ?? []).map(Math.abs))).toBeLessThanOrEqual(bound);
  });

  it("draws fake images uniformly in [0, 1), distinct per batch", () => {
    const first = seededImages(1, 2, 32, 0);
    expect(first).toHaveLength(2 * 3 * 32 * 32);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(1);
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(seededImages(1, 2, 32, 1)[0]).not.toBe(first[0]);
  });
});
