import { describe, expect, it } from "vitest";
import { denseToTfjs, oihwToHwio } from "../../../workloads/cnn/tfjs-layout.js";
import { SeededRandom } from "../../../workloads/rng.js";

const seeded = (seed: number, size: number) => new SeededRandom(seed).fillUniform(new Float32Array(size));

describe("weight layouts for tfjs", () => {
  it("moves each OIHW kernel element to its HWIO place", () => {
    const [o, i, k] = [4, 3, 3];
    const src = seeded(1, o * i * k * k);
    const hwio = oihwToHwio(src, o, i, k);
    for (const [oc, ic, y, x] of [
      [0, 0, 0, 0],
      [3, 2, 2, 1],
      [1, 2, 0, 2],
    ] as const) {
      expect(hwio[((y * k + x) * i + ic) * o + oc]).toBe(src[((oc * i + ic) * k + y) * k + x]);
    }
  });

  it("gives an NHWC-flattened feature map the same dense outputs as the C×H×W-flattened one", () => {
    const [c, h, w, out] = [3, 2, 2, 5];
    const features = c * h * w;
    const kernel = seeded(2, out * features);
    const chw = seeded(3, features);
    const hwc = new Float32Array(features);
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) hwc[p * c + ch] = chw[ch * h * w + p]!;
    const tfjsKernel = denseToTfjs(kernel, out, features, c);
    for (let o = 0; o < out; o++) {
      let reference = 0;
      let ours = 0;
      for (let f = 0; f < features; f++) {
        reference += kernel[o * features + f]! * chw[f]!;
        ours += tfjsKernel[f * out + o]! * hwc[f]!;
      }
      expect(ours).toBeCloseTo(reference, 5);
    }
  });
});
