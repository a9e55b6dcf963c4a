/**
 * Results files named the ways a workflow names them: a path, a folder (such as
 * a matrix's downloaded artifacts: every `.json` under it), or a glob (`*`, `?`
 * and `[abc]` within a path segment, `**` for any depth of folders).
 */
import { readdir, stat } from "node:fs/promises";
import { basename, isAbsolute, join, sep } from "node:path";
import { FileFormatError } from "./files.js";

const GLOB = /[*?[]/;

/** One path segment of a glob as a regular expression: `*`, `?` and `[abc]` / `[!abc]` classes. */
function segmentPattern(segment: string): RegExp {
  let body = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] ?? "";
    const close = ch === "[" ? segment.indexOf("]", i + 2) : -1;
    if (ch === "*") body += "[^/]*";
    else if (ch === "?") body += "[^/]";
    else if (close > 0) {
      const inside = segment.slice(i + 1, close);
      const negated = inside.startsWith("!");
      body += `[${negated ? "^" : ""}${(negated ? inside.slice(1) : inside).replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else body += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${body}$`);
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Every `.json` file under a folder, at any depth, sorted. */
async function jsonFilesUnder(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true });
  const files: string[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith(".json")) continue;
    const path = join(folder, name);
    if (!(await isDirectory(path))) files.push(path);
  }
  return files;
}

/** Paths that match the glob's segments, from `base` (an existing folder) on. */
async function walk(base: string, segments: readonly string[]): Promise<string[]> {
  const [head, ...rest] = segments;
  if (head === undefined) return [base];
  if (head === "**") {
    // Zero folders, or one more folder and still `**`.
    const here = await walk(base, rest);
    const deeper: string[] = [];
    for (const entry of await readdir(base || ".", { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) deeper.push(...(await walk(join(base, entry.name), segments)));
    }
    return [...here, ...deeper];
  }
  if (!GLOB.test(head)) {
    const next = base ? join(base, head) : head;
    if (rest.length === 0)
      return (await stat(next).then(
        () => true,
        () => false,
      ))
        ? [next]
        : [];
    return (await isDirectory(next)) ? walk(next, rest) : [];
  }
  const pattern = segmentPattern(head);
  const out: string[] = [];
  for (const entry of await readdir(base || ".", { withFileTypes: true }).catch(() => [])) {
    if (!pattern.test(entry.name)) continue;
    const next = base ? join(base, entry.name) : entry.name;
    if (rest.length === 0) out.push(next);
    else if (entry.isDirectory()) out.push(...(await walk(next, rest)));
  }
  return out;
}

/**
 * The results files that `patterns` name, in order, each once. A folder gives
 * every `.json` under it; a glob the files it matches; either leaves out files
 * named in `skip` (the pull-request hand-off that sits beside the results). A
 * folder or glob that gives no file is an error naming it (`label` says which
 * input or flag).
 */
export async function expandResultsPaths(
  patterns: readonly string[],
  label = "results",
  skip: readonly string[] = [],
): Promise<string[]> {
  const out: string[] = [];
  const kept = (files: string[]) => files.filter((f) => !skip.includes(basename(f)));
  for (const pattern of patterns) {
    let found: string[];
    // A glob, unless a file or folder has that very name.
    const literal = await stat(pattern).then(
      () => true,
      () => false,
    );
    if (GLOB.test(pattern) && !literal) {
      const absolute = isAbsolute(pattern);
      const segments = pattern.split(/[\\/]+/).filter(Boolean);
      const matches = await walk(absolute ? sep : "", segments);
      const files: string[] = [];
      for (const m of matches.sort()) {
        if (await isDirectory(m)) files.push(...(await jsonFilesUnder(m)));
        else files.push(m);
      }
      found = kept(files);
      if (!found.length) throw new FileFormatError(`${label}: '${pattern}' matches no file`);
    } else if (await isDirectory(pattern)) {
      found = kept(await jsonFilesUnder(pattern));
      if (!found.length) throw new FileFormatError(`${label}: folder '${pattern}' holds no .json file`);
    } else {
      found = [pattern];
    }
    for (const f of found) if (!out.includes(f)) out.push(f);
  }
  return out;
}
