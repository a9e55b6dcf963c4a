/**
 * The PyTorch worker draws every seeded value itself (Python and numpy, no
 * Node.js): here each must be bit-identical to what workloads/ and src/data/
 * produce, so all frameworks start from the same weights and see the same data.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SeededRandom, deriveSeed } from "../../../workloads/rng.js";
import { resnet50Spec, seededImages, seededWeights } from "../../../workloads/resnet50/architecture.js";
import { WEIGHTS_SEED } from "../../../workloads/resnet50/case.js";
import { cnnSeededWeights } from "../../../workloads/cnn/architecture.js";
import { seededRnnWeights } from "../../../workloads/rnn/init.js";
import { INIT_SEED } from "../../../workloads/training/case.js";
import { shuffledOrder } from "../../../workloads/training/run.js";
import { syntheticCifar10, syntheticImdb } from "../../../src/data/synthetic.js";
import { loadCifar10, loadImdb } from "../../../src/data/index.js";
import { pythonWorkerRoot } from "../../../src/run/boundaries.js";
import { FIXTURES } from "../../data/fixture-values.js";
import { TORCH_PYTHON } from "../../python.js";

function digest(arrays: ReadonlyArray<Float32Array | Int32Array>): string {
  const h = createHash("sha256");
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex");
}

interface Dump {
  draws: number[];
  seeds: number[];
  resnet: string;
  images: string;
  cnn: string;
  rnn: string[];
  syntheticCifar: string;
  syntheticImdb: string;
  order: number[];
  realCifar: string;
  realImdb: string;
}

describe.runIf(TORCH_PYTHON)("the PyTorch worker's seeded values", () => {
  const dump = JSON.parse(
    execFileSync(TORCH_PYTHON!, ["-m", "rosetta_torch.dump", FIXTURES], {
      env: { ...process.env, PYTHONPATH: pythonWorkerRoot(), PYTHONDONTWRITEBYTECODE: "1" },
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    }),
  ) as Dump;

  it("draws the generator's stream and derives seeds exactly as workloads/rng.ts", () => {
    const rng = new SeededRandom(42);
    expect(dump.draws).toEqual(Array.from({ length: 1000 }, () => rng.next()));
    expect(dump.seeds).toEqual([
      deriveSeed(0, ""),
      deriveSeed(1, "conv1"),
      deriveSeed(20171208, "layer4.2.conv3"),
      deriveSeed(7, "épée"),
    ]);
  });

  it("builds ResNet-50's weights and images bit for bit", () => {
    const weights = [...seededWeights(resnet50Spec(), WEIGHTS_SEED).values()].flatMap((w) => [
      w.kernel,
      w.gamma,
      w.beta,
      w.mean,
      w.variance,
    ]);
    expect(dump.resnet).toBe(digest(weights));
    expect(dump.images).toBe(digest([seededImages(3, 2, 64, 1)]));
  });

  it("builds the CNN's and the GRU's initial weights bit for bit (the orthogonal recurrent kernel included)", () => {
    const cnn = cnnSeededWeights(deriveSeed(INIT_SEED, "cnn-cifar10"));
    expect(dump.cnn).toBe(digest([...cnn.convs, ...cnn.denses].flatMap((l) => [l.kernel, l.bias])));
    const rnn = seededRnnWeights(deriveSeed(INIT_SEED, "rnn-imdb"));
    expect(dump.rnn).toEqual(
      [
        rnn.embedding,
        rnn.kernel,
        rnn.recurrentKernel,
        rnn.inputBias,
        rnn.recurrentBias,
        rnn.denseKernel,
        rnn.denseBias,
      ].map((w) => digest([w])),
    );
  });

  it("makes the same synthetic data and the same epoch order", () => {
    const c = syntheticCifar10(5, { train: 130, test: 70 });
    expect(dump.syntheticCifar).toBe(digest([c.train.images, c.train.labels, c.test.images, c.test.labels]));
    const t = syntheticImdb(5, { train: 130, test: 70 });
    expect(dump.syntheticImdb).toBe(digest([t.train.sequences, t.train.labels, t.test.sequences, t.test.labels]));
    expect(dump.order).toEqual(Array.from(shuffledOrder(1000, deriveSeed(1, "epoch/0"))));
  });

  it("prepares the real-format CIFAR-10 archive and imdb.npz exactly as src/data does", async () => {
    const c = await loadCifar10(FIXTURES);
    expect(dump.realCifar).toBe(digest([c.train.images, c.train.labels, c.test.images, c.test.labels]));
    const t = await loadImdb(FIXTURES);
    expect(dump.realImdb).toBe(digest([t.train.sequences, t.train.labels, t.test.sequences, t.test.labels]));
  });
});
