/** Digests of dataset files, and the one-line messages when they do not match. */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { DatasetFile } from "./datasets.js";

/** A dataset problem the user can act on; the message is one line naming the file. */
export class DataError extends Error {
  override name = "DataError";
}

export interface Digests {
  sha256: string;
  md5: string;
  bytes: number;
}

/** Hashes bytes as they stream past, so a download is verified without reading it twice. */
export class DigestStream {
  private readonly sha256: Hash = createHash("sha256");
  private readonly md5: Hash = createHash("md5");
  private bytes = 0;

  update(chunk: Uint8Array): void {
    this.sha256.update(chunk);
    this.md5.update(chunk);
    this.bytes += chunk.byteLength;
  }

  digest(): Digests {
    return { sha256: this.sha256.digest("hex"), md5: this.md5.digest("hex"), bytes: this.bytes };
  }
}

/** Digests of a file on disk, streamed (the CIFAR-10 archive is 162 MiB). */
export async function digestFile(path: string): Promise<Digests> {
  const digests = new DigestStream();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) digests.update(chunk as Buffer);
  return digests.digest();
}

/**
 * Undefined when `actual` matches every digest pinned for the file; otherwise
 * the clause to append to the file's description: "does not match its pinned
 * SHA-256: expected …, got …".
 */
export function digestMismatch(entry: DatasetFile, actual: Digests): string | undefined {
  if (actual.sha256 !== entry.sha256) {
    return `does not match its pinned SHA-256: expected ${entry.sha256}, got ${actual.sha256} (${actual.bytes} bytes)`;
  }
  if (entry.md5 !== undefined && actual.md5 !== entry.md5) {
    return `does not match its published MD5: expected ${entry.md5}, got ${actual.md5} (${actual.bytes} bytes)`;
  }
  return undefined;
}
