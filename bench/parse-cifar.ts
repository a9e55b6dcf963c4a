/**
 * CIFAR-10 parse throughput on a generated full-size binary file set: 5 data
 * batches and 1 test batch of 10,000 records each (184.4 MB), as loose .bin
 * files and as a .tar.gz with the real folder layout.
 *
 *   npm run bench:parse-cifar
 *
 * Pixels are a random colour per image plus per-pixel noise, so the archive
 * compresses somewhat like the real one (170 MB for 184 MB); the ratio is
 * printed, because gunzip speed depends on it.
 */
import { randomFillSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createReadStream, createWriteStream } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { CIFAR10, decodeCifar10Records, readCifar10Archive } from "../src/data/cifar10.js";

const RECORDS_PER_FILE = 10_000;
const FILES = [...CIFAR10.trainFiles, ...CIFAR10.testFiles];
const MB = 1e6;

function batchFile(): Buffer {
  const { recordBytes, imageSize } = CIFAR10;
  const bytes = Buffer.alloc(RECORDS_PER_FILE * recordBytes);
  const noise = randomFillSync(Buffer.alloc(imageSize + 4));
  for (let r = 0; r < RECORDS_PER_FILE; r++) {
    randomFillSync(noise);
    const at = r * recordBytes;
    bytes[at] = r % CIFAR10.classes;
    for (let c = 0; c < 3; c++) {
      const base = noise[imageSize + c]! & 0xbf;
      for (let k = 0; k < 1024; k++) bytes[at + 1 + c * 1024 + k] = base + (noise[c * 1024 + k]! & 0x3f);
    }
  }
  return bytes;
}

/** A ustar header for a regular file or folder. */
function tarHeader(name: string, size: number, type: "0" | "5"): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(type === "5" ? "0000755\0" : "0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write(type, 156);
  h.write("ustar\x0000", 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

function* tarStream(files: Array<[string, Buffer]>): Generator<Buffer> {
  yield tarHeader(`${CIFAR10.folder}/`, 0, "5");
  for (const [name, data] of files) {
    yield tarHeader(`${CIFAR10.folder}/${name}`, data.length, "0");
    yield data;
    yield Buffer.alloc((512 - (data.length % 512)) % 512);
  }
  yield Buffer.alloc(1024);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function time(runs: number, fn: () => unknown): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds;
}

const dir = await mkdtemp(join(os.tmpdir(), "rosetta-bench-cifar-"));
try {
  process.stderr.write(`generating ${FILES.length} × ${RECORDS_PER_FILE} records in ${dir} …\n`);
  const files: Array<[string, Buffer]> = FILES.map((name) => [name, batchFile()]);
  await mkdir(join(dir, CIFAR10.folder));
  for (const [name, data] of files) await writeFile(join(dir, CIFAR10.folder, name), data);
  const archive = join(dir, "cifar-10-binary.tar.gz");
  await pipeline(Readable.from(tarStream(files)), createGzip(), createWriteStream(archive));
  const recordBytes = files.reduce((n, [, d]) => n + d.length, 0);
  const archiveBytes = (await stat(archive)).size;

  // 1. The decode proper, from the .bin files already in memory.
  const loaded = await Promise.all(
    FILES.map(async (name) => ({ name, bytes: await readFile(join(dir, CIFAR10.folder, name)) })),
  );
  const decode = await time(5, () => {
    decodeCifar10Records(loaded.slice(0, 5));
    decodeCifar10Records(loaded.slice(5));
  });
  // 2. The whole path a workload takes: the archive from disk through gunzip and tar to decoded splits.
  const full = await time(3, () => readCifar10Archive(archive));
  // Context for the two figures: what the output's first touch and gunzip alone cost on this machine.
  const touch = await time(3, () => new Float32Array((recordBytes / CIFAR10.recordBytes) * CIFAR10.imageSize).fill(0));
  const gunzip = await time(3, async () => {
    for await (const chunk of createReadStream(archive).pipe(createGunzip())) void chunk;
  });

  const line = (what: string, seconds: number[], bytes: number) =>
    `${what}: median ${median(seconds).toFixed(3)} s = ${(bytes / MB / median(seconds)).toFixed(0)} MB/s ` +
    `(runs: ${seconds.map((s) => s.toFixed(3)).join(", ")} s)`;
  console.log(`CIFAR-10 parse, full size: 60,000 records, ${(recordBytes / MB).toFixed(1)} MB of record files`);
  console.log(line("decode (records → NCHW float32 ÷ 255 + int32 labels)", decode, recordBytes));
  console.log(
    line("archive (.tar.gz on disk → gunzip → tar → decode)", full, recordBytes) +
      `; archive ${(archiveBytes / MB).toFixed(1)} MB, compressed to ${((archiveBytes / recordBytes) * 100).toFixed(0)}%`,
  );
  console.log(
    `  of which: allocating and first touching the 737 MB float32 output ${median(touch).toFixed(3)} s; ` +
      `gunzip alone ${median(gunzip).toFixed(3)} s`,
  );
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.availableParallelism()}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
