/**
 * One HTTP download into a file, hashed as it streams. Whether to retry and
 * where the file ends up are the caller's business (src/data/fetch.ts).
 */
import { open } from "node:fs/promises";
import { DigestStream, type Digests } from "./verify.js";

/** A failed try; `retryable` says whether another try could succeed. */
export class DownloadError extends Error {
  override name = "DownloadError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface DownloadRequest {
  url: string;
  /** Created exclusively; the caller removes it on failure. */
  toPath: string;
  /** Used for progress when the server sends no Content-Length. */
  expectedBytes: number;
  /** Abort when no byte arrives for this long. */
  stallTimeoutMs: number;
  onBytes(receivedBytes: number, totalBytes: number): void;
}

/** HTTP statuses worth another try: the server or something in between may recover. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** undici puts the useful part ("connect ECONNREFUSED", "other side closed") in the cause. */
function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

/** Downloads `url` to `toPath`, returning the digests of what was written. */
export async function downloadOnce(request: DownloadRequest): Promise<Digests> {
  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, request.stallTimeoutMs);
  };
  const file = await open(request.toPath, "wx");
  try {
    armStallTimer();
    let response: Response;
    try {
      response = await fetch(request.url, { signal: controller.signal, redirect: "follow" });
    } catch (err) {
      throw new DownloadError(stalled ? `no response for ${request.stallTimeoutMs} ms` : describeFetchError(err), true);
    }
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
      throw new DownloadError(reason, RETRYABLE_STATUS.has(response.status));
    }
    const length = Number(response.headers.get("content-length") ?? NaN);
    const total = Number.isFinite(length) && length > 0 ? length : request.expectedBytes;
    const digests = new DigestStream();
    let received = 0;
    request.onBytes(0, total);
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        armStallTimer();
        digests.update(chunk);
        await file.write(chunk);
        received += chunk.byteLength;
        request.onBytes(received, total);
      }
    } catch (err) {
      const why = stalled ? `no data for ${request.stallTimeoutMs} ms` : describeFetchError(err);
      throw new DownloadError(`interrupted after ${received} bytes: ${why}`, true);
    }
    if (Number.isFinite(length) && received !== length) {
      throw new DownloadError(`interrupted: got ${received} of ${length} bytes`, true);
    }
    // On disk before the rename that publishes it, so a crash cannot leave a short file behind the name.
    await file.sync();
    return digests.digest();
  } finally {
    clearTimeout(timer);
    await file.close();
  }
}
