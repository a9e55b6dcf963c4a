/**
 * A small streaming tar reader: enough for dataset archives (ustar, GNU and pax
 * headers; regular files and folders). Wanted members are copied once into a
 * buffer of their exact size; everything else streams past without being kept.
 */
import { DataError } from "./verify.js";

const BLOCK = 512;

interface Header {
  name: string;
  size: number;
  type: string;
}

const decoder = new TextDecoder("utf-8");

function cString(block: Uint8Array, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return decoder.decode(block.subarray(start, end === -1 || end > start + length ? start + length : end));
}

/** Octal ASCII, or GNU base-256 when the first byte has its top bit set (sizes of 8 GiB and more). */
function numberField(block: Uint8Array, start: number, length: number): number {
  if ((block[start] ?? 0) & 0x80) {
    let value = (block[start] ?? 0) & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (block[i] ?? 0);
    return value;
  }
  const text = cString(block, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

function parseHeader(block: Uint8Array, label: string, offset: number): Header {
  // The checksum is the byte sum of the header with its own field read as spaces.
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i] ?? 0;
  const stored = numberField(block, 148, 8);
  if (stored !== sum) {
    throw new DataError(`${label} is not a valid tar archive: bad header checksum at byte ${offset}`);
  }
  let name = cString(block, 0, 100);
  // POSIX ustar keeps a path prefix at 345; GNU tar ("ustar  ") uses those bytes for other fields.
  if (cString(block, 257, 6) === "ustar") {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const size = numberField(block, 124, 12);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new DataError(`${label} is not a valid tar archive: bad member size at byte ${offset}`);
  }
  return { name, size, type: String.fromCharCode(block[156] || 0x30) };
}

/** The `path` record of a pax extended header, if it has one. */
function paxPath(data: Uint8Array): string | undefined {
  const text = decoder.decode(data);
  for (const m of text.matchAll(/\d+ ([^=\n]+)=([^\n]*)\n/g)) if (m[1] === "path") return m[2];
  return undefined;
}

/**
 * Reads a tar stream and returns the regular files whose names `want` accepts,
 * keyed by name (a leading `./` removed).
 */
export async function readTarFiles(
  source: AsyncIterable<Uint8Array>,
  want: (name: string) => boolean,
  label: string,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const header = new Uint8Array(BLOCK);
  let headerFill = 0;
  let offset = 0; // bytes of the archive consumed, for messages
  let member: { header: Header; data?: Uint8Array; filled: number; skip: number } | undefined;
  let nextName: string | undefined; // from a GNU long-name or pax header
  let ended = false;

  const finishMember = () => {
    if (!member) return;
    const { header: h, data } = member;
    if (h.type === "L" && data) nextName = cString(data, 0, data.length);
    else if (h.type === "x" && data) nextName = paxPath(data) ?? nextName;
    else if (data) files.set(h.name, data);
    member = undefined;
  };

  for await (const chunk of source) {
    let pos = 0;
    while (pos < chunk.length && !ended) {
      if (member) {
        const take = Math.min(member.header.size - member.filled, chunk.length - pos);
        if (take > 0) {
          member.data?.set(chunk.subarray(pos, pos + take), member.filled);
          member.filled += take;
          pos += take;
        }
        const skip = Math.min(member.skip, chunk.length - pos);
        member.skip -= skip;
        pos += skip;
        if (member.filled === member.header.size && member.skip === 0) finishMember();
        continue;
      }
      const take = Math.min(BLOCK - headerFill, chunk.length - pos);
      header.set(chunk.subarray(pos, pos + take), headerFill);
      headerFill += take;
      pos += take;
      if (headerFill < BLOCK) continue;
      headerFill = 0;
      if (header.every((b) => b === 0)) {
        ended = true; // end-of-archive marker; what follows is padding
        break;
      }
      const h = parseHeader(header, label, offset);
      offset += BLOCK;
      if (nextName !== undefined && h.type !== "L" && h.type !== "x") {
        h.name = nextName;
        nextName = undefined;
      }
      h.name = h.name.replace(/^\.\//, "");
      const regular = h.type === "0" || h.type === "7";
      const keep = h.type === "L" || h.type === "x" || (regular && want(h.name));
      member = { header: h, filled: 0, skip: (BLOCK - (h.size % BLOCK)) % BLOCK };
      if (keep) member.data = new Uint8Array(h.size);
      offset += h.size + member.skip;
      if (h.size === 0) finishMember();
    }
    if (ended) break;
  }
  if (member || headerFill !== 0) throw new DataError(`${label} is truncated: the tar stream ends inside a member`);
  if (!ended && offset === 0) throw new DataError(`${label} is not a tar archive: it is empty`);
  return files;
}
