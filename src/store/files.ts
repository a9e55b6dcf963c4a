/** File boundary: atomic writes and schema-checked JSON reads with clear errors. */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { z } from "zod";

/**
 * Writes a file atomically: a temp file beside it, then a rename, so an
 * interrupted run never leaves a half-written results or baseline file.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
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
    data = JSON.parse(text);
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
