import { describe, expect, it } from "vitest";
import { defaultDataDir, expandHome } from "../../src/data/data-dir.js";
import { DATASETS, datasetsForWorkloads, downloadUrl } from "../../src/data/datasets.js";

describe("data folder", () => {
  it("is the user's cache folder unless one is named", () => {
    expect(defaultDataDir({ XDG_CACHE_HOME: "/xdg" }, "linux", "/home/u")).toBe("/xdg/rosetta-bench");
    expect(defaultDataDir({}, "linux", "/home/u")).toBe("/home/u/.cache/rosetta-bench");
    expect(defaultDataDir({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/rosetta-bench");
  });

  it("expands a leading ~ the way a shell would", () => {
    expect(expandHome("~/data", "/home/u")).toBe("/home/u/data");
    expect(expandHome("~", "/home/u")).toBe("/home/u");
    expect(expandHome("/srv/~data", "/home/u")).toBe("/srv/~data");
  });
});

describe("dataset catalog", () => {
  it("fetches from the official hosts, or from a mirror base URL with the same file names", () => {
    expect(downloadUrl(DATASETS.cifar10)).toBe("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    expect(downloadUrl(DATASETS.imdb)).toBe("https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz");
    expect(downloadUrl(DATASETS.imdb, "https://mirror.example.com/ml//")).toBe(
      "https://mirror.example.com/ml/imdb.npz",
    );
  });

  it("fetches nothing for ResNet-50 features, which runs on seeded images", () => {
    expect(datasetsForWorkloads(["resnet50-features"])).toEqual([]);
  });
});
