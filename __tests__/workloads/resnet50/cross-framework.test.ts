import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { maxRelativeDifference } from "../../../src/run/cross-check.js";
import { resnet50Spec, seededImages, seededWeights } from "../../../workloads/resnet50/architecture.js";
import { INPUT_NAME, OUTPUT_NAME, resnet50Onnx } from "../../../workloads/resnet50/onnx-graph.js";
import { nchwToNhwc, resnet50Tfjs } from "../../../workloads/resnet50/tfjs-model.js";

// Small images keep this test quick; the network is the same at any size ≥ 32.
const SIZE = 64;
const BATCH = 2;

describe("ResNet-50 features: tfjs (wasm) and onnxruntime-node build the same model", () => {
  const spec = resnet50Spec();
  const weights = seededWeights(spec, 11);
  const images = seededImages(3, BATCH, SIZE, 0);
  let onnxFeatures: Float32Array;
  let tfjsFeatures: Float32Array;

  beforeAll(async () => {
    const session = await ort.InferenceSession.create(resnet50Onnx(spec, weights, SIZE));
    const out = await session.run({ [INPUT_NAME]: new ort.Tensor("float32", images, [BATCH, 3, SIZE, SIZE]) });
    onnxFeatures = out[OUTPUT_NAME]?.data as Float32Array;
    await session.release();

    await tf.setBackend("wasm");
    const model = resnet50Tfjs(tf, spec, weights);
    const y = model.predict(tf.tensor4d(nchwToNhwc(images, BATCH, 3, SIZE), [BATCH, SIZE, SIZE, 3]));
    tfjsFeatures = (await y.data()) as Float32Array;
    model.dispose();
  });

  it("gives 2,048 features per image", () => {
    expect(onnxFeatures).toHaveLength(BATCH * 2048);
    expect(tfjsFeatures).toHaveLength(BATCH * 2048);
  });

  it("agrees to float32 rounding", () => {
    expect(maxRelativeDifference(Array.from(onnxFeatures), Array.from(tfjsFeatures))).toBeLessThan(1e-4);
  });

  it("produces features that are neither vanishing nor exploding, and differ between images", () => {
    const max = Math.max(...onnxFeatures);
    expect(max).toBeGreaterThan(0.1);
    expect(max).toBeLessThan(1e3);
    const nonZero = onnxFeatures.filter((v) => v > 0).length;
    expect(nonZero / onnxFeatures.length).toBeGreaterThan(0.2);
    const first = onnxFeatures.subarray(0, 2048);
    const second = onnxFeatures.subarray(2048);
    expect(maxRelativeDifference(Array.from(first), Array.from(second))).toBeGreaterThan(1e-3);
  });

  it("is sensitive to the layout: features of transposed (wrong-layout) input differ", async () => {
    const model = resnet50Tfjs(tf, spec, weights);
    // Feed NCHW data reinterpreted as NHWC: a layout bug must show up as a large difference.
    const wrong = model.predict(tf.tensor4d(images, [BATCH, SIZE, SIZE, 3]));
    const wrongFeatures = (await wrong.data()) as Float32Array;
    model.dispose();
    expect(maxRelativeDifference(Array.from(onnxFeatures), Array.from(wrongFeatures))).toBeGreaterThan(1e-2);
  });
});
