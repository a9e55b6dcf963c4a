/**
 * Seeded initial weights for the GRU classifier, built from our own generator
 * so the fused and the layers implementation (and any other framework) start
 * from bit-identical weights.
 *
 * The embedding uniform in ±0.05 (Keras' Embedding default, as the reference's
 * Keras built it), Glorot-uniform kernels (the reference's "Glorot/Xavier
 * uniform where practical", fan in/out taken over the whole matrix as Keras
 * does), an orthogonal recurrent kernel (Keras' GRU default), zero biases.
 */
import { SeededRandom, deriveSeed } from "../rng.js";

/** The sizes of the classifier: the reference's are 30,000 × 125 → 100 → 2 over 150 steps. */
export interface RnnDims {
  vocab: number;
  embedding: number;
  units: number;
  classes: number;
  seqLen: number;
}

export const REFERENCE_DIMS: Readonly<RnnDims> = { vocab: 30_000, embedding: 125, units: 100, classes: 2, seqLen: 150 };

/** Keras' Embedding initializer: uniform in ±0.05. */
export const EMBEDDING_INIT_LIMIT = 0.05;

/** Weights in tfjs's layouts: kernels [in, out], GRU gates ordered z, r, h along the last axis. */
export interface RnnWeights {
  embedding: Float32Array; // [vocab, embedding]
  kernel: Float32Array; // [embedding, 3·units]
  recurrentKernel: Float32Array; // [units, 3·units]
  inputBias: Float32Array; // [3·units], on the input projection
  recurrentBias: Float32Array; // [3·units], on the recurrent projection (cuDNN's second bias)
  denseKernel: Float32Array; // [units, classes]
  denseBias: Float32Array; // [classes]
}

function glorotUniform(seed: number, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return new SeededRandom(seed).fillUniform(new Float32Array(fanIn * fanOut), -limit, limit);
}

/** Standard normal draws by Box–Muller (1 − u keeps the logarithm finite). */
function normals(rng: SeededRandom, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const angle = 2 * Math.PI * rng.next();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/**
 * A [rows, cols] matrix with orthonormal rows (rows ≤ cols), as Keras' Orthogonal
 * initializer gives: QR of a Gaussian matrix, signs fixed so R's diagonal is
 * positive, which is what Gram–Schmidt yields directly.
 */
export function orthogonalRows(seed: number, rows: number, cols: number): Float32Array {
  if (rows > cols) throw new Error(`orthogonalRows: ${rows} rows cannot be orthonormal in ${cols} columns`);
  const m = normals(new SeededRandom(seed), rows * cols);
  for (let i = 0; i < rows; i++) {
    const vi = m.subarray(i * cols, (i + 1) * cols);
    // Modified Gram–Schmidt: subtract projections on the rows already done.
    for (let j = 0; j < i; j++) {
      const vj = m.subarray(j * cols, (j + 1) * cols);
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += vi[k]! * vj[k]!;
      for (let k = 0; k < cols; k++) vi[k]! -= dot * vj[k]!;
    }
    let norm = 0;
    for (let k = 0; k < cols; k++) norm += vi[k]! * vi[k]!;
    norm = Math.sqrt(norm);
    for (let k = 0; k < cols; k++) vi[k]! /= norm;
  }
  return Float32Array.from(m);
}

/** The classifier's initial weights for a seed. */
export function seededRnnWeights(seed: number, dims: RnnDims = REFERENCE_DIMS): RnnWeights {
  const { vocab, embedding, units, classes } = dims;
  const s = (label: string) => deriveSeed(seed, `rnn/${label}`);
  return {
    embedding: new SeededRandom(s("embedding")).fillUniform(
      new Float32Array(vocab * embedding),
      -EMBEDDING_INIT_LIMIT,
      EMBEDDING_INIT_LIMIT,
    ),
    kernel: glorotUniform(s("gru/kernel"), embedding, 3 * units),
    recurrentKernel: orthogonalRows(s("gru/recurrent_kernel"), units, 3 * units),
    inputBias: new Float32Array(3 * units),
    recurrentBias: new Float32Array(3 * units),
    denseKernel: glorotUniform(s("dense/kernel"), units, classes),
    denseBias: new Float32Array(classes),
  };
}
