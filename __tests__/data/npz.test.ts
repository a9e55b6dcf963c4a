import { describe, expect, it } from "vitest";
import { readNpy } from "../../src/data/npy.js";
import { readPickledIntLists, type RaggedInts } from "../../src/data/pickle.js";
import { readZipEntries, readZipEntry } from "../../src/data/zip.js";
import { fixture, imdbValues } from "./fixture-values.js";

const lists = (r: RaggedInts) =>
  Array.from({ length: r.count }, (_, i) => {
    const start = r.starts[i]!;
    return Array.from(r.values.subarray(start, start + r.lengths[i]!));
  });

/** A version 1.0 .npy file, header padded as numpy pads it. */
function npy(descr: string, shape: string, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

describe("npz members (zip + npy + pickle)", () => {
  it.each(["imdb.npz", "imdb-compressed.npz", "imdb-protocol2.npz"])(
    "%s: every raw review and label equals what numpy wrote",
    async (name) => {
      const bytes = await fixture(name);
      const values = await imdbValues();
      const entries = readZipEntries(bytes, name);
      expect([...entries.keys()]).toEqual(["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"]);
      for (const key of ["x_train", "x_test"] as const) {
        const array = readNpy(readZipEntry(bytes, entries.get(`${key}.npy`)!, name), key);
        expect(array.kind).toBe("ragged");
        if (array.kind === "ragged") expect(lists(array.ragged)).toEqual(values[key]);
      }
      for (const key of ["y_train", "y_test"] as const) {
        const array = readNpy(readZipEntry(bytes, entries.get(`${key}.npy`)!, name), key);
        expect(array).toMatchObject({ kind: "int", descr: "<i8", shape: [values[key].length] });
        if (array.kind === "int") expect(Array.from(array.values)).toEqual(values[key]);
      }
    },
  );

  it("detects a damaged member by its CRC-32", async () => {
    const bytes = Buffer.from(await fixture("imdb.npz"));
    const entry = readZipEntries(bytes, "imdb.npz").get("y_test.npy")!;
    // Past the local header, its name and numpy's 20-byte zip64 extra field, 140 bytes into the .npy.
    const at = entry.localHeaderOffset + 30 + "y_test.npy".length + 20 + 140;
    bytes[at] = bytes[at]! ^ 1;
    expect(() => readZipEntry(bytes, entry, "imdb.npz")).toThrow("imdb.npz: member y_test.npy fails its CRC-32 check");
    expect(() => readZipEntry(bytes, { ...entry, method: 12 }, "imdb.npz")).toThrow(
      "imdb.npz: member y_test.npy uses zip compression method 12; accepted: 0 (stored), 8 (deflate)",
    );
  });

  it("reads little-endian integers and refuses big-endian ones and int64 values beyond 32 bits", () => {
    const le = new Uint8Array(new BigInt64Array([5n, -7n]).buffer);
    expect(readNpy(npy("<i8", "(2,)", le), "y")).toMatchObject({ kind: "int", values: Int32Array.from([5, -7]) });
    expect(() => readNpy(npy(">i8", "(2,)", le), "y.npy")).toThrow("y.npy: dtype '>i8' is not supported");
    const big = new Uint8Array(new BigInt64Array([2n ** 40n]).buffer);
    expect(() => readNpy(npy("<i8", "(1,)", big), "y.npy")).toThrow(
      "y.npy: value at index 0 does not fit a 32-bit integer",
    );
  });
});

describe("pickle reader", () => {
  const enc = (s: string) => Array.from(new TextEncoder().encode(s));

  it("never resolves a global outside numpy's array reconstruction", () => {
    // PROTO 2, GLOBAL 'os\nsystem\n', ...: the classic pickle exploit, refused before any call.
    const evil = Uint8Array.from([0x80, 2, 0x63, ...enc("os\nsystem\n"), 0x55, 2, ...enc("ls"), 0x85, 0x52, 0x2e]);
    expect(() => readPickledIntLists(evil, "evil.npy")).toThrow(
      "evil.npy: unsupported pickle global 'os.system' at byte 2 of its pickle; accepted: a numpy object array of integer lists",
    );
  });

  it("refuses a pickle that is not a numpy array, and one that ends early", () => {
    const list = Uint8Array.from([0x80, 4, 0x5d, 0x4b, 1, 0x61, 0x2e]); // [1]
    expect(() => readPickledIntLists(list, "l.npy")).toThrow("l.npy: the pickle is not a numpy array");
    expect(() => readPickledIntLists(list.subarray(0, 4), "l.npy")).toThrow("l.npy: the pickle ends early at byte 3");
  });
});
