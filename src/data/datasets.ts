/**
 * The datasets the reference workloads train on: where each file comes from and
 * the digests it must match. A download that does not match is never kept.
 */
import { TRAINING_PROFILES, type ProfileId, type WorkloadId } from "../core/catalog.js";

export const DATASET_IDS = ["cifar10", "imdb"] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

/** One file to fetch, verify and cache. */
export interface DatasetFile {
  readonly id: DatasetId;
  readonly title: string;
  /** File name in the data folder and on a mirror. */
  readonly file: string;
  /** The official location. */
  readonly url: string;
  /** Lower-case hex; the gate every copy must pass, downloaded or local. */
  readonly sha256: string;
  /** Lower-case hex, where the publisher gives an MD5; checked as well. */
  readonly md5?: string;
  /** Expected size, for progress when a server sends no Content-Length. */
  readonly bytes: number;
}

export const DATASETS: Readonly<Record<DatasetId, DatasetFile>> = {
  cifar10: {
    id: "cifar10",
    title: "CIFAR-10 (binary version)",
    file: "cifar-10-binary.tar.gz",
    url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
    // The dataset page (https://www.cs.toronto.edu/~kriz/cifar.html) publishes only an MD5 for
    // this archive ("162 MB, c32a1d4ab5d03f1284b67883e8d87530"), so both are checked. The
    // SHA-256 is not published by the authors: it is the value two independent loaders verify
    // every download of this URL against (gomlx/gomlx examples/cifar/cifar.go and
    // ankane/torchvision-ruby lib/torchvision/datasets/cifar10.rb). The size is the one
    // TensorFlow's CIFAR-10 tutorial prints after downloading the same URL.
    sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
    md5: "c32a1d4ab5d03f1284b67883e8d87530",
    bytes: 170_052_171,
  },
  imdb: {
    id: "imdb",
    title: "IMDB reviews (Keras imdb.npz)",
    file: "imdb.npz",
    url: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
    // SHA-256 published by Keras as the file_hash of imdb.npz in keras/src/datasets/imdb.py.
    // The size is the Content-Length Keras' downloader reports for this file.
    sha256: "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    bytes: 17_464_789,
  },
};

/**
 * The datasets each workload reads. ResNet-50 features runs on seeded fake
 * images, as the reference did; the training workloads add their entries here.
 */
export const WORKLOAD_DATASETS: Readonly<Record<WorkloadId, readonly DatasetId[]>> = {
  "cnn-cifar10": ["cifar10"],
  "rnn-imdb": ["imdb"],
  "resnet50-features": [],
};

/** The datasets a set of workloads needs, each once, in catalog order. */
export function datasetsForWorkloads(workloads: readonly WorkloadId[]): DatasetId[] {
  const wanted = new Set(workloads.flatMap((w) => WORKLOAD_DATASETS[w]));
  return DATASET_IDS.filter((id) => wanted.has(id));
}

/** The datasets a run reads: those of its training workloads whose profile trains on real data. */
export function datasetsForRun(
  workloads: readonly WorkloadId[],
  profile: ProfileId,
  syntheticData = false,
): DatasetId[] {
  if (syntheticData) return [];
  return datasetsForWorkloads(
    workloads.filter((w) => w === "resnet50-features" || TRAINING_PROFILES[w][profile].data === "real"),
  );
}

/** Where a file is fetched from: the mirror when one is set (base URL + file name), else the official URL. */
export function downloadUrl(entry: DatasetFile, mirror?: string): string {
  if (!mirror) return entry.url;
  return `${mirror.replace(/\/+$/, "")}/${entry.file}`;
}
