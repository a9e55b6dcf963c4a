/**
 * Makes a verified copy of each dataset file in the data folder: from the
 * folder itself when a good copy is there, else downloaded (from a mirror when
 * one is set) into a temp file that is verified, then renamed into place. A
 * corrupt or interrupted download never takes the file's name.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { downloadUrl, type DatasetFile } from "./datasets.js";
import { DownloadError, downloadOnce } from "./http-download.js";
import { silentDataReporter, type DataReporter } from "./progress.js";
import { DataError, digestFile, digestMismatch } from "./verify.js";

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled before each later one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 2_000, maxDelayMs: 30_000 };

export interface FetchOptions {
  dataDir: string;
  /** Base URL serving the same file names as the official hosts. */
  mirror?: string;
  /** Use the data folder only: no request is made. */
  offline?: boolean;
  retry?: RetryPolicy;
  /** A download that receives nothing for this long is aborted (and retried). */
  stallTimeoutMs?: number;
  reporter?: DataReporter;
}

export interface FetchedFile {
  id: DatasetFile["id"];
  path: string;
  /** `cache`: a verified copy was already in the data folder. */
  origin: "cache" | "download";
  sha256: string;
  bytes: number;
}

/** Delay before try `attempt` (2, 3, …). */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * A download killed outright (SIGKILL, a lost runner) leaves its temp file
 * behind. One untouched for this long is not being written: a live download
 * writes every chunk and aborts after the stall timeout.
 */
export const STALE_PART_MS = 10 * 60_000;

async function removeStaleParts(dir: string, file: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => n.startsWith(`${file}.`) && n.endsWith(".part"));
  for (const name of stale) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_PART_MS) await rm(path, { force: true });
  }
}

/** Ensures one verified dataset file in the data folder and says where it came from. */
export async function ensureDataset(entry: DatasetFile, options: FetchOptions): Promise<FetchedFile> {
  const reporter = options.reporter ?? silentDataReporter;
  const path = join(options.dataDir, entry.file);
  if (await exists(path)) {
    const actual = await digestFile(path);
    const problem = digestMismatch(entry, actual);
    if (!problem) return { id: entry.id, path, origin: "cache", sha256: actual.sha256, bytes: actual.bytes };
    if (options.offline) throw new DataError(`offline: '${path}' ${problem}`);
    reporter.warning(`'${path}' ${problem}; downloading it again`);
    await rm(path, { force: true });
  } else if (options.offline) {
    throw new DataError(
      `offline: '${path}' does not exist; accepted: a copy of ${entry.file} (SHA-256 ${entry.sha256}) in that folder, ` +
        `for example fetched with 'rosetta-bench data fetch --data-dir DIR' on a machine with network`,
    );
  }
  await mkdir(options.dataDir, { recursive: true });
  await removeStaleParts(options.dataDir, entry.file);
  return download(entry, path, options, reporter);
}

async function download(
  entry: DatasetFile,
  path: string,
  options: FetchOptions,
  reporter: DataReporter,
): Promise<FetchedFile> {
  const url = downloadUrl(entry, options.mirror);
  const policy = options.retry ?? DEFAULT_RETRY;
  reporter.info(`Downloading ${entry.title} from ${url}`);
  for (let attempt = 1; ; attempt++) {
    const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.part`;
    try {
      const actual = await downloadOnce({
        url,
        toPath: temp,
        expectedBytes: entry.bytes,
        stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
        onBytes: (receivedBytes, totalBytes) =>
          reporter.downloadProgress({ dataset: entry.id, file: entry.file, url, attempt, receivedBytes, totalBytes }),
      });
      const problem = digestMismatch(entry, actual);
      // Not retried: the same server would most likely send the same wrong bytes.
      if (problem) throw new DataError(`${entry.file} downloaded from ${url} ${problem}; the file was not kept`);
      await rename(temp, path);
      reporter.info(`${entry.file}: ${actual.bytes} bytes, SHA-256 verified, saved to ${path}`);
      return { id: entry.id, path, origin: "download", sha256: actual.sha256, bytes: actual.bytes };
    } catch (err) {
      await rm(temp, { force: true });
      if (!(err instanceof DownloadError)) throw err;
      if (!err.retryable || attempt >= policy.attempts) {
        const tries = attempt > 1 ? ` after ${attempt} tries` : "";
        throw new DataError(`downloading ${entry.file} from ${url} failed${tries}: ${err.message}`);
      }
      const delay = retryDelayMs(policy, attempt + 1);
      reporter.warning(
        `downloading ${entry.file} failed (try ${attempt} of ${policy.attempts}): ${err.message}; retrying in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay);
    }
  }
}

/** Ensures several dataset files, one after another. */
export async function ensureDatasets(entries: readonly DatasetFile[], options: FetchOptions): Promise<FetchedFile[]> {
  const out: FetchedFile[] = [];
  for (const entry of entries) out.push(await ensureDataset(entry, options));
  return out;
}
