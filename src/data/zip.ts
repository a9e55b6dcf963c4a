/**
 * A minimal zip reader for `.npz` files: the central directory (zip64 records
 * included, which numpy writes), stored and deflated members, CRC-checked.
 */
import { crc32, inflateRawSync } from "node:zlib";
import { DataError } from "./verify.js";

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

function u64(view: DataView, at: number): number {
  const value = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  if (!Number.isSafeInteger(value)) throw new RangeError("64-bit zip field too large");
  return value;
}

/** Sizes and offset that did not fit 32 bits live, in this order, in the zip64 extra field. */
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  for (let p = start; p + 4 <= start + length;) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const value = u64(view, q);
        q += 8;
        return value;
      };
      if (entry.size === U32_MAX) entry.size = next();
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next();
      if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + size;
  }
}

/** Lists the members of a zip file held in memory. `label` names the file in errors. */
export function readZipEntries(bytes: Uint8Array, label: string): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new DataError(`${label} is not a zip (.npz) file: no end-of-central-directory record`);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === U32_MAX) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const record = u64(view, eocd - 12);
    if (view.getUint32(record, true) !== ZIP64_EOCD) throw new DataError(`${label}: bad zip64 end record`);
    count = u64(view, record + 32);
    offset = u64(view, record + 48);
  }
  const entries = new Map<string, ZipEntry>();
  const names = new TextDecoder("utf-8");
  for (let i = 0, p = offset; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) {
      throw new DataError(`${label} is not a valid zip file: central directory entry ${i} is damaged`);
    }
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (view.getUint16(p + 8, true) & 1) throw new DataError(`${label}: encrypted zip members are not supported`);
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true),
    };
    applyZip64Extra(view, p + 46 + nameLength, extraLength, entry);
    entries.set(entry.name, entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one member (a view into `bytes` when it is stored). */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, label: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) {
    throw new DataError(`${label}: member ${entry.name} has no valid local header`);
  }
  // The local extra field may differ from the central one (numpy's is zip64 placeholders): use its own length.
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new DataError(`${label}: member ${entry.name} is truncated`);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(raw);
    } catch (err) {
      throw new DataError(`${label}: member ${entry.name} does not inflate: ${(err as Error).message}`);
    }
  } else {
    throw new DataError(
      `${label}: member ${entry.name} uses zip compression method ${entry.method}; accepted: 0 (stored), 8 (deflate)`,
    );
  }
  if (data.length !== entry.size || crc32(data) >>> 0 !== entry.crc) {
    throw new DataError(`${label}: member ${entry.name} fails its CRC-32 check`);
  }
  return data;
}
