import { copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CIFAR10, decodeCifar10Records, loadCifar10, readCifar10Archive } from "../../src/data/cifar10.js";
import { tempDir } from "../helpers.js";
import { CIFAR_RECORDS, FIXTURES, cifarLabel, cifarOrder, cifarPixel, fixture } from "./fixture-values.js";

const ARCHIVE = `${FIXTURES}/cifar-10-binary.tar.gz`;

describe("CIFAR-10 binary archive", () => {
  it("reads every label and pixel in the reference order: batches 1-5 by name, NCHW, divided by 255", async () => {
    const { train, test } = await readCifar10Archive(ARCHIVE);
    for (const [split, data] of [
      ["train", train],
      ["test", test],
    ] as const) {
      const order = cifarOrder(split);
      expect(data.count).toBe(order.length);
      expect(data.images).toHaveLength(order.length * 3 * 32 * 32);
      expect(Array.from(data.labels)).toEqual(order.map(([f, r]) => cifarLabel(f, r)));
      order.forEach(([f, r], n) => {
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < 32; y++) {
            for (let x = 0; x < 32; x++) {
              const got = data.images[((n * 3 + c) * 32 + y) * 32 + x];
              if (got !== Math.fround(cifarPixel(f, r, c, y, x) / 255)) {
                throw new Error(`${split} image ${n} (file ${f} record ${r}) at c=${c} y=${y} x=${x}: ${got}`);
              }
            }
          }
        }
      });
    }
    expect(train.count).toBe(7 + 6 + 5 + 4 + 3);
    expect(test.count).toBe(CIFAR_RECORDS[6]);
  });

  it("keeps pixels in [0, 1] with 0 and 255 mapping to exactly 0 and 1", () => {
    const record = new Uint8Array(CIFAR10.recordBytes);
    record[0] = 9;
    record[1] = 255;
    record[3072] = 128;
    const split = decodeCifar10Records([{ name: "one", bytes: record }]);
    expect(split.images[0]).toBe(1);
    expect(split.images[1]).toBe(0);
    expect(split.images[3071]).toBe(Math.fround(128 / 255));
    expect(Array.from(split.labels)).toEqual([9]);
  });

  it("loads from a data folder and says where the data came from", async () => {
    const dir = await tempDir();
    await copyFile(ARCHIVE, join(dir, "cifar-10-binary.tar.gz"));
    const data = await loadCifar10(dir);
    expect(data.train.count).toBe(25);
    expect(data.provenance).toEqual({ kind: "real", dataset: "cifar10", file: "cifar-10-binary.tar.gz" });
    await expect(loadCifar10(await tempDir())).rejects.toThrow(
      /cifar-10-binary\.tar\.gz' does not exist; fetch it with 'rosetta-bench data fetch --datasets cifar10'$/,
    );
  });

  it("rejects a record file that is not whole records, or a label outside 0-9", () => {
    expect(() => decodeCifar10Records([{ name: "data_batch_1.bin", bytes: new Uint8Array(3074) }])).toThrow(
      "data_batch_1.bin is not a CIFAR-10 batch: 3074 bytes is not a whole number of 3073-byte records",
    );
    const bad = new Uint8Array(2 * CIFAR10.recordBytes);
    bad[CIFAR10.recordBytes] = 10;
    expect(() => decodeCifar10Records([{ name: "test_batch.bin", bytes: bad }])).toThrow(
      "test_batch.bin is not a CIFAR-10 batch: record 1 has label 10; accepted: 0 to 9",
    );
  });

  it("names the archive when it is not gzip, is truncated, or lacks a batch", async () => {
    const dir = await tempDir();
    const notGzip = join(dir, "plain.tar.gz");
    await writeFile(notGzip, "not an archive");
    await expect(readCifar10Archive(notGzip)).rejects.toThrow(
      `'${notGzip}' could not be read as a .tar.gz archive: incorrect header check`,
    );

    const whole = await fixture("cifar-10-binary.tar.gz");
    const cut = join(dir, "cut.tar.gz");
    await writeFile(cut, whole.subarray(0, whole.length - 200));
    await expect(readCifar10Archive(cut)).rejects.toThrow(`'${cut}' could not be read as a .tar.gz archive`);

    // A real tar holding only the folder entry: valid, but not the CIFAR-10 archive.
    const header = new Uint8Array(512);
    const put = (at: number, text: string) => header.set(new TextEncoder().encode(text), at);
    put(0, "cifar-10-batches-bin/");
    put(100, "0000755");
    put(124, "00000000000");
    put(156, "5");
    put(257, "ustar\u000000");
    let sum = 8 * 32;
    for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += header[i]!;
    put(148, sum.toString(8).padStart(6, "0") + "\u0000 ");
    const empty = join(dir, "empty.tar.gz");
    await writeFile(empty, gzipSync(Buffer.concat([header, new Uint8Array(1024)])));
    await expect(readCifar10Archive(empty)).rejects.toThrow(
      `'${empty}' has no member 'cifar-10-batches-bin/data_batch_1.bin'; it is not the CIFAR-10 binary archive`,
    );
  });
});
