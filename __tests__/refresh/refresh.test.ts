import { existsSync } from "node:fs";
/**
 * Baseline refresh with real git: a bare repository in a temp folder as origin,
 * a clone as the workspace, the action run as `node dist/index.js` on a release
 * event, and the loopback GitHub API for the pull request.
 */
import { execFileSync } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeIntoBaseline } from "../../src/store/baseline-file.js";
import { serializeBaseline } from "../../src/refresh/refresh.js";
import { startFakeGitHub, type FakeGitHub } from "../github-server.js";
import { ENVIRONMENT, okCase, results, tempDir } from "../helpers.js";
import { cleanEnv, readOutputs, ROOT, runNode } from "../process.js";

const BRANCH = "rosetta-bench/baseline-v1.2.0";
const BASELINE = ".rosetta-bench/baseline.json";
const GPU_BOX = {
  ...ENVIRONMENT,
  cpu: { model: "AMD EPYC 9454", cores: 96 },
  gpus: [{ name: "NVIDIA H100", driver: "580.65.06" }],
};

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  }).trim();

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub("octo-org", "model-lib");
});
afterEach(() => gh.close());

interface Repo {
  dir: string;
  remote: string;
  workspace: string;
  /** The committed baseline's text, with one entry of another testbed (the GPU box). */
  original: string;
}

/** origin with a baseline holding a GPU box's entry; a clone of it as the workspace. */
async function repo(): Promise<Repo> {
  const dir = await tempDir();
  const remote = join(dir, "origin.git");
  git(dir, "init", "-q", "--bare", "-b", "main", remote);
  const seed = join(dir, "seed");
  git(dir, "clone", "-q", remote, seed);
  await mkdir(join(seed, ".rosetta-bench"));
  const original = serializeBaseline(
    mergeIntoBaseline(undefined, results([okCase("onnxruntime-node", 900)], GPU_BOX), "0ld5ha"),
  );
  await writeFile(join(seed, BASELINE), original);
  await writeFile(join(seed, "README.md"), "# model-lib\n");
  git(seed, "add", ".");
  git(seed, "commit", "-q", "-m", "initial");
  git(seed, "push", "-q", "origin", "main");
  const workspace = join(dir, "workspace");
  git(dir, "clone", "-q", remote, workspace);
  return { dir, remote, workspace, original };
}

async function resultsFile(r: Repo, name: string, imagesPerS: number, createdAt: string): Promise<string> {
  const file = join(r.dir, name);
  const run = results([okCase("onnxruntime-node", imagesPerS), okCase("tfjs", 2)]);
  run.createdAt = createdAt;
  await writeFile(file, JSON.stringify(run));
  return file;
}

async function refresh(r: Repo, inputs: Record<string, string>) {
  const outputPath = join(r.dir, "github-output");
  const summaryPath = join(r.dir, "summary.md");
  await writeFile(outputPath, "");
  await writeFile(summaryPath, "");
  const env = cleanEnv({
    ...Object.fromEntries(
      Object.entries({ mode: "refresh-baseline", "github-token": "ghs_secret_token", ...inputs }).map(([k, v]) => [
        `INPUT_${k.toUpperCase()}`,
        v,
      ]),
    ),
    GITHUB_ACTIONS: "true",
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_EVENT_NAME: "release",
    GITHUB_EVENT_PATH: join(ROOT, "fixtures/events/release.json"),
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: r.workspace,
    GITHUB_REPOSITORY: "octo-org/model-lib",
    RUNNER_TEMP: join(r.dir, "runner-temp"),
  });
  const proc = await runNode("dist/index.js", [], { cwd: r.workspace, env });
  return { ...proc, outputs: await readOutputs(outputPath) };
}

describe("mode refresh-baseline", () => {
  it("pushes one commit changing only the baseline, opens the pull request once, updates it on a re-run", async () => {
    const r = await repo();
    const first = await refresh(r, {
      "results-files": await resultsFile(r, "v1.json", 20, "2026-11-26T10:10:00.000Z"),
    });
    // The token is masked for the runner and appears nowhere else.
    expect(first.stdout.replace("::add-mask::ghs_secret_token", "")).not.toContain("ghs_secret_token");
    expect(first.code).toBe(0);

    expect(git(r.remote, "rev-list", `main..${BRANCH}`).split("\n")).toHaveLength(1);
    expect(git(r.remote, "diff", "--name-only", "main", BRANCH)).toBe(BASELINE);
    expect(git(r.remote, "log", "-1", "--format=%an <%ae>%n%s", BRANCH)).toBe(
      "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\nRefresh the rosetta-bench baseline for v1.2.0",
    );
    const refreshed = git(r.remote, "show", `${BRANCH}:${BASELINE}`) + "\n";
    const entries = (JSON.parse(refreshed) as { entries: Array<{ case: { framework: string } }> }).entries;
    expect(entries.map((e) => e.case.framework)).toEqual(["onnxruntime-node", "onnxruntime-node", "tfjs"]);
    // The GPU box's entry survives byte for byte.
    const gpuEntry = r.original.slice(r.original.indexOf("    {"), r.original.lastIndexOf("    }") + 5);
    expect(refreshed).toContain(gpuEntry);

    const pulls = [...gh.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      head: { ref: BRANCH },
      base: { ref: "main" },
      title: "Refresh the rosetta-bench baseline for v1.2.0",
    });
    expect(pulls[0]?.body).toContain("**✅ No regression: 1 new, 1 not judged**");
    expect(first.outputs).toMatchObject({
      "baseline-branch": BRANCH,
      "pull-request-url": "https://github.com/octo-org/model-lib/pull/100",
    });

    const second = await refresh(r, {
      "results-files": await resultsFile(r, "v1b.json", 10, "2026-11-26T11:00:00.000Z"),
    });
    expect(second.code).toBe(0);
    expect(git(r.remote, "rev-list", `main..${BRANCH}`).split("\n")).toHaveLength(2);
    expect(gh.pulls.size).toBe(1);
    expect(gh.requests.filter((q) => q.method === "POST")).toHaveLength(1);
    expect(gh.requests.filter((q) => q.method === "PATCH")).toHaveLength(1);
    expect(second.stdout).toContain("Updated pull request #100");

    const third = await refresh(r, { "results-files": join(r.dir, "v1b.json") });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain(`The baseline on ${BRANCH} already holds these results: nothing to commit.`);
    expect(git(r.remote, "rev-list", `main..${BRANCH}`).split("\n")).toHaveLength(2);
  });

  it("survives a concurrent push to the same branch between its fetch and its push", async () => {
    const r = await repo();
    // Another job's refresh, ready in origin's object store, and a hook that moves the
    // branch to it while our push is being received: a real race, played once.
    const other = join(r.dir, "other");
    git(r.dir, "clone", "-q", r.remote, other);
    const theirs = mergeIntoBaseline(
      JSON.parse(r.original) as never,
      results([okCase("tfjs-node", 7)], { ...ENVIRONMENT, cpu: { model: "Other", cores: 8 } }),
    );
    await writeFile(join(other, BASELINE), serializeBaseline(theirs));
    git(other, "commit", "-q", "-am", "Another job's refresh");
    git(other, "push", "-q", "origin", "HEAD:refs/tags/competitor");
    const hook = join(r.remote, "hooks", "pre-receive");
    await writeFile(
      hook,
      [
        "#!/bin/sh",
        "while read old new ref; do",
        `  if [ "$ref" = "refs/heads/${BRANCH}" ] && [ ! -e raced ]; then`,
        "    touch raced",
        '    env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref "$ref" "$(git rev-parse "refs/tags/competitor^{commit}")"',
        "  fi",
        "done",
      ].join("\n") + "\n",
    );
    await chmod(hook, 0o755);

    const run = await refresh(r, { "results-files": await resultsFile(r, "v1.json", 20, "2026-11-26T10:10:00.000Z") });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `origin rejected the push to ${BRANCH} (it moved meanwhile); fetching and re-applying the results`,
    );
    expect(run.stdout).toContain("(attempt 2)");
    expect(git(r.remote, "log", "--format=%s", `main..${BRANCH}`).split("\n")).toEqual([
      "Refresh the rosetta-bench baseline for v1.2.0",
      "Another job's refresh",
    ]);
    const final = JSON.parse(git(r.remote, "show", `${BRANCH}:${BASELINE}`)) as {
      entries: Array<{ case: { framework: string } }>;
    };
    expect(final.entries.map((e) => e.case.framework)).toEqual([
      "onnxruntime-node",
      "tfjs-node",
      "onnxruntime-node",
      "tfjs",
    ]);
  });

  it("refuses a baseline path outside the repository, writing nothing there and pushing nothing", async () => {
    const r = await repo();
    const outside = join(r.dir, "elsewhere", "baseline.json");
    const before = git(r.remote, "rev-parse", "main");
    const run = await refresh(r, {
      "results-files": await resultsFile(r, "v1.json", 20, "2026-11-26T10:10:00.000Z"),
      "baseline-push": "direct",
      "baseline-path": outside,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::baseline path '${outside}' is outside the repository`);
    expect(existsSync(outside)).toBe(false);
    expect(git(r.remote, "rev-parse", "main")).toBe(before);
    expect(git(r.workspace, "worktree", "list").split("\n")).toHaveLength(1);
  });

  it("pushes straight to the default branch in direct mode, with the configured identity and trailers", async () => {
    const r = await repo();
    const before = git(r.remote, "rev-parse", "main");
    const run = await refresh(r, {
      "results-files": await resultsFile(r, "v1.json", 20, "2026-11-26T10:10:00.000Z"),
      "baseline-push": "direct",
      "commit-user-name": "Bench Bot",
      "commit-user-email": "bench@example.com",
      "commit-trailers": "Signed-off-by: Bench Bot <bench@example.com>",
    });
    expect(run.stdout).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(git(r.remote, "rev-parse", "main~1")).toBe(before);
    expect(git(r.remote, "log", "-1", "--format=%an <%ae>%n%B", "main").trim()).toBe(
      "Bench Bot <bench@example.com>\nRefresh the rosetta-bench baseline for v1.2.0\n\nSigned-off-by: Bench Bot <bench@example.com>",
    );
    expect(git(r.remote, "branch", "--list", "rosetta-bench/*")).toBe("");
    expect(gh.requests).toEqual([]);
  });

  it("leaves a dirty working tree on a detached HEAD exactly as it was", async () => {
    const r = await repo();
    git(r.workspace, "checkout", "-q", "--detach");
    await writeFile(join(r.workspace, "README.md"), "# local edits, not committed\n");
    await writeFile(join(r.workspace, BASELINE), "{ half-edited by hand");
    await writeFile(join(r.workspace, "notes.txt"), "untracked\n");
    const status = git(r.workspace, "status", "--porcelain");
    const head = git(r.workspace, "rev-parse", "HEAD");

    const run = await refresh(r, { "results-files": await resultsFile(r, "v1.json", 20, "2026-11-26T10:10:00.000Z") });
    expect(run.code).toBe(0);
    expect(git(r.workspace, "status", "--porcelain")).toBe(status);
    expect(git(r.workspace, "rev-parse", "HEAD")).toBe(head);
    expect(await readFile(join(r.workspace, BASELINE), "utf8")).toBe("{ half-edited by hand");
    expect(git(r.workspace, "worktree", "list").split("\n")).toHaveLength(1);
    expect(git(r.remote, "rev-list", `main..${BRANCH}`).split("\n")).toHaveLength(1);
  });

  it("fails clearly and keeps the refreshed baseline when origin refuses the push", async () => {
    const r = await repo();
    const hook = join(r.remote, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'protected branch: pushes need review' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    const run = await refresh(r, { "results-files": await resultsFile(r, "v1.json", 20, "2026-11-26T10:10:00.000Z") });
    expect(run.code).toBe(1);
    const saved = join(r.dir, "runner-temp/rosetta-bench/baseline.json");
    expect(run.stdout).toMatch(
      new RegExp(`::error::origin refused the push to ${BRANCH}: .*; the refreshed baseline is saved at ${saved}`),
    );
    const kept = JSON.parse(await readFile(saved, "utf8")) as { entries: unknown[] };
    expect(kept.entries).toHaveLength(3);
    expect(gh.pulls.size).toBe(0);
  });
});
