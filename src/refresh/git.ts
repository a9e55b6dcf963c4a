/**
 * The git boundary of a baseline refresh, over simple-git. All work happens in
 * a private worktree on a detached HEAD, so the user's checkout (its branch,
 * its uncommitted changes, its untracked files) is never touched.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { processAlive } from "../store/files.js";

/** Private refs the refresh fetches into, so the user's remote-tracking refs stay as they were. */
const PRIVATE_REF = "refs/rosetta-bench";

export interface Identity {
  name: string;
  email: string;
}

/** Git configuration passed through the environment: never on the command line, never on disk. */
export function configEnv(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/**
 * Whether pushing to `remoteUrl` needs the token: only an https remote on the
 * GitHub server for which the checkout step left no credentials (its
 * `http.<server>/.extraheader`, absent with persist-credentials: false).
 */
export function needsToken(remoteUrl: string, serverUrl: string, extraHeaders: readonly string[]): boolean {
  let remote: URL;
  let server: URL;
  try {
    remote = new URL(remoteUrl);
    server = new URL(serverUrl);
  } catch {
    return false; // a path, scp-like ssh (git@host:repo) or other non-URL remote: nothing to add
  }
  if (remote.protocol !== "https:" || remote.host !== server.host) return false;
  if (remote.username || remote.password) return false;
  return extraHeaders.length === 0;
}

export function tokenHeaderConfig(serverUrl: string, token: string): [string, string] {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return [`http.${new URL(serverUrl).origin}/.extraheader`, `AUTHORIZATION: basic ${basic}`];
}

/** Variables for programs git could start interactively; the refresh never needs one. */
const INTERACTIVE_ONLY = new Set(["EDITOR", "VISUAL", "GIT_EDITOR", "PAGER", "GIT_PAGER", "GIT_SEQUENCE_EDITOR"]);

/**
 * A simple-git client with an explicit environment. simple-git guards against
 * untrusted git arguments and environments; here the arguments are fixed and the
 * environment is the runner's own plus ours, so every variable is declared, the
 * runner's own SSH and askpass settings are honoured, and editors and pagers,
 * which the refresh never opens, are left out.
 */
export function gitClient(dir: string, env: Record<string, string>): SimpleGit {
  const full: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) {
    if (v !== undefined && !INTERACTIVE_ONLY.has(k.toUpperCase())) full[k] = v;
  }
  return simpleGit({
    baseDir: dir,
    allowEnvironment: Object.keys(full),
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true, allowUnsafeAskPass: true },
  }).env(full);
}

/** Removes the refresh worktrees of processes that no longer exist. */
async function removeAbandonedWorktrees(repo: SimpleGit): Promise<void> {
  const list = await repo.raw(["worktree", "list", "--porcelain"]).catch(() => "");
  for (const [, path] of list.matchAll(/^worktree (.+)$/gm)) {
    const pid = /rosetta-bench-refresh-(\d+)-[^/]*$/.exec(path!)?.[1];
    if (!pid || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    await repo.raw(["worktree", "remove", "--force", path!]).catch(() => undefined);
    await rm(path!, { recursive: true, force: true });
  }
  await repo.raw(["worktree", "prune"]).catch(() => undefined);
}

export class RefreshWorktree {
  private constructor(
    readonly dir: string,
    private readonly repo: SimpleGit,
    private readonly tree: SimpleGit,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * Adds a detached worktree of `workspace`'s repository in a temp folder named
   * after this process, after removing the worktrees of refreshes whose process
   * is gone (killed midway, they stay registered with git otherwise).
   */
  static async open(workspace: string, env: Record<string, string>): Promise<RefreshWorktree> {
    const repo = gitClient(workspace, env);
    await removeAbandonedWorktrees(repo);
    const dir = await mkdtemp(join(os.tmpdir(), `rosetta-bench-refresh-${process.pid}-`));
    await repo.raw(["worktree", "add", "--detach", "--no-checkout", dir, "HEAD"]);
    return new RefreshWorktree(dir, repo, gitClient(dir, env), env);
  }

  async remoteUrl(): Promise<string> {
    return (await this.repo.raw(["remote", "get-url", "origin"])).trim();
  }

  /** Configured `http.*.extraheader` values (the checkout step's credentials), without printing them. */
  async extraHeaders(): Promise<string[]> {
    const out = await this.repo.raw(["config", "--get-regexp", "^http\\..*\\.extraheader$"]).catch(() => "");
    return out.split("\n").filter(Boolean);
  }

  /** The commit of origin's branch, or undefined when it does not exist. */
  async remoteBranch(branch: string): Promise<string | undefined> {
    const out = await this.tree.raw(["ls-remote", "origin", `refs/heads/${branch}`]);
    return out.split(/\s+/)[0] || undefined;
  }

  /** Fetches origin's branch into a private ref and returns that ref. */
  async fetch(branch: string, name: string): Promise<string> {
    const ref = `${PRIVATE_REF}/${name}`;
    await this.tree.raw(["fetch", "--no-tags", "origin", `+refs/heads/${branch}:${ref}`]);
    return ref;
  }

  /** Points the worktree at `ref`, discarding anything an earlier attempt left in it. */
  async resetTo(ref: string): Promise<void> {
    await this.tree.raw(["checkout", "--detach", "--force", ref]);
    await this.tree.raw(["clean", "-fdx"]);
  }

  async fileAt(ref: string, path: string): Promise<string | undefined> {
    return this.tree.raw(["show", `${ref}:${path}`]).catch(() => undefined);
  }

  /** Commits exactly one file with the given identity and message. */
  async commitFile(path: string, identity: Identity, message: string): Promise<string> {
    await this.tree.raw(["add", "--", path]);
    await gitClient(this.dir, {
      ...this.env,
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    }).raw(["commit", "--no-verify", "-m", message, "--", path]);
    return (await this.tree.raw(["rev-parse", "HEAD"])).trim();
  }

  /** The commit a (private) ref points at. */
  async commitOf(ref: string): Promise<string> {
    return (await this.tree.raw(["rev-parse", `${ref}^{commit}`])).trim();
  }

  /**
   * Pushes HEAD to origin's branch, never forcing. Returns the reason when
   * origin refused the update; failures to reach origin at all throw.
   */
  async push(branch: string): Promise<{ pushed: true } | { pushed: false; reason: string }> {
    try {
      await this.tree.raw(["push", "--porcelain", "origin", `HEAD:refs/heads/${branch}`]);
      return { pushed: true };
    } catch (err) {
      const text = String((err as Error).message);
      if (!/failed to push some refs|\[(remote )?rejected\]/.test(text)) throw err;
      return { pushed: false, reason: text.trim().split("\n").slice(-3).join(" ") };
    }
  }

  async close(): Promise<void> {
    await this.repo.raw(["worktree", "remove", "--force", this.dir]).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    const refs = await this.repo.raw(["for-each-ref", "--format=%(refname)", PRIVATE_REF]).catch(() => "");
    for (const ref of refs.split("\n").filter(Boolean))
      await this.repo.raw(["update-ref", "-d", ref]).catch(() => undefined);
    await this.repo.raw(["worktree", "prune"]).catch(() => undefined);
  }
}
