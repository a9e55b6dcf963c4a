/**
 * The baseline's own history: its past versions, read from the git repository
 * it is committed in (the last commits that changed the file), so the report can
 * show how each case's figure moved from release to release. Nothing is stored
 * besides the baseline, no server is asked, and it works offline. Anything that
 * stops it (no git, not a repository, a shallow clone with one commit) gives no
 * history and a reason, never a failed run.
 */
import { realpath } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { simpleGit } from "simple-git";
import { BASELINE_SCHEMA_VERSION, baselineSchema, type Baseline } from "../core/baseline-schema.js";

/** At most this many past versions are read: a bounded cost (see bench/trend-history.ts). */
export const TREND_MAX_VERSIONS = 20;

export interface BaselineVersion {
  commit: string;
  /** Committer date, ISO 8601. */
  date: string;
  /** The release tag of the commit or the one its message names, else the commit date (YYYY-MM-DD). */
  label: string;
  baseline: Baseline;
}

export interface BaselineHistory {
  /** Oldest first. */
  versions: BaselineVersion[];
  /** Why there is no history (not a git repository, say): for the log. */
  reason?: string;
  /** What the reader can do for a history (a shallow clone): for the report. */
  note?: string;
}

/** A tag on the commit itself (`%D`: "HEAD -> main, tag: v1.2"). */
function tagOf(decorations: string): string | undefined {
  return /(?:^|, )tag: ([^,]+)/.exec(decorations)?.[1]?.trim();
}

/** The tag a refresh commit names ("Refresh the rosetta-bench baseline for v1.2"). */
function tagInSubject(subject: string): string | undefined {
  return /\bbaseline for (\S+)$/.exec(subject.trim())?.[1];
}

function parseVersion(text: string): Baseline | undefined {
  try {
    const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    if ((data as { schemaVersion?: unknown } | null)?.schemaVersion !== BASELINE_SCHEMA_VERSION) return undefined;
    const parsed = baselineSchema.safeParse(data);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The last `limit` (≤ {@link TREND_MAX_VERSIONS}) committed versions of the
 * baseline at `path`, oldest first. A version that does not parse (an older
 * schema, a bad merge) is left out.
 */
export async function readBaselineHistory(path: string, limit: number): Promise<BaselineHistory> {
  const n = Math.min(Math.max(0, Math.floor(limit)), TREND_MAX_VERSIONS);
  if (n === 0) return { versions: [] };
  let file: string;
  try {
    file = await realpath(path);
  } catch {
    return { versions: [], reason: `no baseline file at '${path}'` };
  }
  const git = simpleGit({ baseDir: dirname(file) });
  let top: string;
  try {
    top = (await git.revparse(["--show-toplevel"])).trim();
  } catch {
    return { versions: [], reason: `'${path}' is not in a git repository` };
  }
  const rel = relative(await realpath(top), file)
    .split(sep)
    .join("/");
  const repo = simpleGit({ baseDir: top });
  let log: string;
  try {
    log = await repo.raw(["log", `-n${n}`, "--format=%H%x09%cI%x09%D%x09%s", "--", rel]);
  } catch (err) {
    return { versions: [], reason: `git log of '${rel}' failed: ${(err as Error).message.split("\n")[0]}` };
  }
  const versions: BaselineVersion[] = [];
  for (const line of log.split("\n").filter(Boolean)) {
    const [commit = "", date = "", decorations = "", ...subject] = line.split("\t");
    const text = await repo.show([`${commit}:${rel}`]).catch(() => undefined);
    const baseline = text === undefined ? undefined : parseVersion(text);
    if (!baseline) continue;
    const label = tagOf(decorations) ?? tagInSubject(subject.join("\t")) ?? date.slice(0, 10);
    versions.push({ commit, date, label, baseline });
  }
  versions.reverse();
  // Two versions of one day are told apart by their commits.
  const counts = new Map<string, number>();
  for (const v of versions) counts.set(v.label, (counts.get(v.label) ?? 0) + 1);
  for (const v of versions) if ((counts.get(v.label) ?? 0) > 1) v.label = `${v.label} ${v.commit.slice(0, 7)}`;
  const shallow = (await repo.revparse(["--is-shallow-repository"]).catch(() => "false")).trim() === "true";
  return {
    versions,
    ...(shallow && versions.length < n
      ? { note: "a shallow clone: check out with fetch-depth: 0 for the baseline's history" }
      : {}),
  };
}
