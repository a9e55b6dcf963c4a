/**
 * `.npy` arrays as found in `imdb.npz`: 1-D integer arrays (the labels) and
 * object arrays of integer lists (the reviews). Anything else is refused with
 * its dtype named.
 */
import { readPickledIntLists, type RaggedInts } from "./pickle.js";
import { DataError } from "./verify.js";

export type NpyArray =
  | { kind: "int"; descr: string; shape: number[]; values: Int32Array }
  | { kind: "ragged"; descr: "|O"; shape: number[]; ragged: RaggedInts };

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

const ACCEPTED = "'|O' (object arrays of integer lists) and little-endian integers or booleans";

function readHeader(bytes: Uint8Array, label: string): NpyHeader {
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes[0] !== 0x93 || magic !== "NUMPY") throw new DataError(`${label} is not a .npy array: bad magic`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let length: number;
  let start: number;
  if (major === 1) [length, start] = [view.getUint16(8, true), 10];
  else if (major === 2 || major === 3) [length, start] = [view.getUint32(8, true), 12];
  else throw new DataError(`${label}: .npy format version ${major} is not supported; accepted: 1, 2, 3`);
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + length));
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw new DataError(`${label}: unsupported .npy header ${JSON.stringify(text.trim())}; accepted: ${ACCEPTED}`);
  }
  const dims = shape
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new DataError(`${label}: bad shape (${shape})`);
  return { descr, fortranOrder: fortran === "True", shape: dims, dataOffset: start + length };
}

/** Reads little-endian integers of `size` bytes into int32, refusing values that do not fit. */
function readInts(data: Uint8Array, kind: string, size: number, count: number, label: string): Int32Array {
  if (data.length < count * size)
    throw new DataError(`${label} is truncated: ${count} values need ${count * size} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    let value: number;
    if (size === 1) value = kind === "i" ? view.getInt8(at) : view.getUint8(at);
    else if (size === 2) value = kind === "i" ? view.getInt16(at, true) : view.getUint16(at, true);
    else if (size === 4) value = kind === "i" ? view.getInt32(at, true) : view.getUint32(at, true);
    else {
      const high = view.getInt32(at + 4, true);
      const low = view.getInt32(at, true);
      // In range exactly when the high word is the sign extension of the low one.
      value = high === low >> 31 && (kind === "i" || high === 0) ? low : NaN;
    }
    if (!(value >= -(2 ** 31) && value < 2 ** 31)) {
      throw new DataError(`${label}: value at index ${i} does not fit a 32-bit integer`);
    }
    out[i] = value;
  }
  return out;
}

/** Parses one `.npy` file held in memory. */
export function readNpy(bytes: Uint8Array, label: string): NpyArray {
  const header = readHeader(bytes, label);
  const data = bytes.subarray(header.dataOffset);
  const count = header.shape.reduce((a, b) => a * b, 1);
  if (header.descr === "|O") {
    const ragged = readPickledIntLists(data, label);
    if (header.shape.length !== 1 || ragged.count !== count) {
      throw new DataError(
        `${label}: header shape (${header.shape.join(", ")}) does not match ${ragged.count} pickled lists`,
      );
    }
    return { kind: "ragged", descr: "|O", shape: header.shape, ragged };
  }
  const m = /^([<|])([iub])([1248])$/.exec(header.descr);
  if (!m || (m[1] === "|" && m[3] !== "1")) {
    throw new DataError(`${label}: dtype '${header.descr}' is not supported; accepted: ${ACCEPTED}`);
  }
  if (header.fortranOrder && header.shape.length > 1) {
    throw new DataError(`${label}: Fortran-ordered arrays are not supported; accepted: C order`);
  }
  const kind = m[2] === "i" ? "i" : "u";
  return {
    kind: "int",
    descr: header.descr,
    shape: header.shape,
    values: readInts(data, kind, Number(m[3]), count, label),
  };
}
