/** File boundary: atomic writes and schema-checked JSON reads with clear errors. */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { z } from "zod";

/**
 * Removes temp files an earlier write of `path` left behind when its process
 * was killed (kill -9, a runner shutting down): `<name>.<pid>.<hex>.tmp` whose
 * process no longer exists. One of them once held 108 MB.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1];
    if (pid && Number(pid) !== process.pid && !processAlive(Number(pid))) {
      await rm(join(dir, name), { force: true });
    }
  }
}

/**
 * Writes a file atomically: a temp file beside it, then a rename, so an
 * interrupted run never leaves a half-written results or baseline file.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await removeStaleTemps(path);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content, "utf8");
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** A file that exists but is not what it should be; the message names the file. */
export class FileFormatError extends Error {
  override name = "FileFormatError";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
  return `at ${at}: ${issue.message}`;
}

/**
 * Reads and validates a versioned JSON file. Returns undefined when the file does
 * not exist and `optional` is set; every other problem throws one line naming the
 * file, what was wrong and what is accepted.
 */
export async function readVersionedJson<S extends z.ZodType>(
  path: string,
  schema: S,
  what: string,
  schemaVersion: number,
  optional = false,
): Promise<z.infer<S> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      if (optional) return undefined;
      throw new FileFormatError(`${what} file '${path}' does not exist`);
    }
    throw err;
  }
  let data: unknown;
  try {
    // A byte-order mark (some Windows editors write one) is not part of the JSON.
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new FileFormatError(`${what} file '${path}' is not valid JSON: ${(err as Error).message}`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== schemaVersion) {
    throw new FileFormatError(
      `${what} file '${path}' has schemaVersion ${JSON.stringify(version)}; this rosetta-bench reads schemaVersion ${schemaVersion}`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
    throw new FileFormatError(`${what} file '${path}' is not a valid ${what} file ${describeIssue(issues[0]!)}${more}`);
  }
  return parsed.data;
}

/** How long a writer waits for another's lock before giving up. */
export const LOCK_WAIT_MS = 60_000;

/** Whether a process exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` while holding `<path>.lock`, created exclusively, so two processes
 * that read, change and write one file (two `baseline update`s at once) take
 * turns instead of losing each other's change. A lock left by a process that
 * no longer exists (killed) is taken over.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const lock = `${path}.lock`;
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number((await readFile(lock, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `'${path}' is locked by process ${owner || "(unknown)"} (${lock}); waited ${waitMs / 1000} s. Remove the lock file if no rosetta-bench is running.`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
