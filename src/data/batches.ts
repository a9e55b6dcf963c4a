/**
 * Complete batches only, as the reference: 50,000 CIFAR-10 training images
 * make 781 batches of 64 (49,984 images), 10,000 test images 156; 25,000 IMDB
 * reviews make 390 batches either way. The remainder is never used.
 */

export const BATCH_SIZE = 64;

/** How many complete batches `count` samples make. */
export function completeBatches(count: number, batchSize: number = BATCH_SIZE): number {
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new RangeError(`batch size ${batchSize} is not a positive integer`);
  return Math.floor(count / batchSize);
}

/**
 * Batch `index` of an array holding `perSample` values per sample, as a view
 * (no copy). Only complete batches exist: an index past them throws.
 */
export function batchView<T extends Float32Array | Int32Array>(
  array: T,
  perSample: number,
  index: number,
  batchSize: number = BATCH_SIZE,
): T {
  const batches = completeBatches(array.length / perSample, batchSize);
  if (!(Number.isInteger(index) && index >= 0 && index < batches)) {
    throw new RangeError(`batch ${index} does not exist: there are ${batches} complete batches of ${batchSize}`);
  }
  const size = batchSize * perSample;
  return array.subarray(index * size, (index + 1) * size) as T;
}

/**
 * Gathers the samples at `order[index * batchSize …]` into `out` (reused
 * between steps): how a reshuffled epoch reads its batches without allocating.
 */
export function gatherBatch<T extends Float32Array | Int32Array>(
  array: T,
  perSample: number,
  order: Int32Array,
  index: number,
  out: T,
  batchSize: number = BATCH_SIZE,
): T {
  if (out.length !== batchSize * perSample) throw new RangeError(`out holds ${out.length} values, not one batch`);
  if ((index + 1) * batchSize > order.length)
    throw new RangeError(`batch ${index} is not a complete batch of ${batchSize}`);
  for (let b = 0; b < batchSize; b++) {
    const sample = order[index * batchSize + b]!;
    out.set(array.subarray(sample * perSample, (sample + 1) * perSample), b * perSample);
  }
  return out;
}
