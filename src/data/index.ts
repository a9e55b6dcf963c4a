/**
 * The datasets API for workloads and front ends: fetch and verify into the data
 * folder, load and prepare as the reference did, synthetic stand-ins, and
 * complete-batch helpers.
 */
export {
  DATASETS,
  DATASET_IDS,
  datasetsForWorkloads,
  downloadUrl,
  type DatasetFile,
  type DatasetId,
} from "./datasets.js";
export { defaultDataDir } from "./data-dir.js";
export { ensureDataset, ensureDatasets, type FetchOptions, type FetchedFile, type RetryPolicy } from "./fetch.js";
export {
  CIFAR10,
  decodeCifar10Records,
  loadCifar10,
  readCifar10Archive,
  type Cifar10Data,
  type ImageSplit,
} from "./cifar10.js";
export { IMDB, loadImdb, parseImdbNpz, preprocessReviews, type ImdbData, type SequenceSplit } from "./imdb.js";
export { BATCH_SIZE, batchView, completeBatches, gatherBatch } from "./batches.js";
export { FULL_SIZES, syntheticCifar10, syntheticImdb } from "./synthetic.js";
export type { DataProvenance } from "./provenance.js";
export { DataError } from "./verify.js";
