/** Download progress: the events, and how they are shown on a terminal or in a log. */
import type { Reporter } from "../core/progress.js";
import type { DatasetId } from "./datasets.js";

export interface DownloadProgress {
  dataset: DatasetId;
  file: string;
  url: string;
  /** 1 for the first try; more when a download is retried. */
  attempt: number;
  receivedBytes: number;
  /** From Content-Length, else the catalog's expected size. */
  totalBytes: number;
}

/** What dataset acquisition tells its caller: the Reporter's info and warning, plus byte counts. */
export interface DataReporter extends Pick<Reporter, "info" | "warning"> {
  downloadProgress(p: DownloadProgress): void;
}

/** A reporter that says nothing (tests, library callers). */
export const silentDataReporter: DataReporter = {
  info: () => undefined,
  warning: () => undefined,
  downloadProgress: () => undefined,
};

const MIB = 1024 * 1024;

export function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function percent(p: DownloadProgress): number {
  return p.totalBytes > 0 ? Math.min(100, Math.floor((p.receivedBytes / p.totalBytes) * 100)) : 0;
}

/** One progress line: `imdb.npz: 42% (7.0 MiB of 16.7 MiB)`, with the try when it is not the first. */
export function describeDownload(p: DownloadProgress): string {
  const retry = p.attempt > 1 ? `, try ${p.attempt}` : "";
  return `${p.file}: ${percent(p)}% (${formatMiB(p.receivedBytes)} of ${formatMiB(p.totalBytes)}${retry})`;
}

/** A terminal bar: `imdb.npz [########------------] 42% 7.0/16.7 MiB`. */
export function renderProgressBar(p: DownloadProgress, width = 24): string {
  const pct = percent(p);
  const filled = Math.round((pct / 100) * width);
  const bar = "#".repeat(filled) + "-".repeat(width - filled);
  const retry = p.attempt > 1 ? ` (try ${p.attempt})` : "";
  return `${p.file} [${bar}] ${String(pct).padStart(3)}% ${(p.receivedBytes / MIB).toFixed(1)}/${formatMiB(p.totalBytes)}${retry}`;
}

/**
 * For logs without a live line: true when a download crosses the next 10%
 * step (or starts), so a 170 MB file writes about ten lines, not thousands.
 */
export function progressStepper(stepPercent = 10): (p: DownloadProgress) => boolean {
  let last = "";
  return (p) => {
    const key = `${p.file}#${p.attempt}#${Math.floor(percent(p) / stepPercent)}`;
    if (key === last) return false;
    last = key;
    return true;
  };
}
