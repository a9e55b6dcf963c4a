import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configEnv, gitClient, needsToken, RefreshWorktree, tokenHeaderConfig } from "../../src/refresh/git.js";
import { tempDir } from "../helpers.js";

describe("needsToken", () => {
  const server = "https://github.com";
  it.each([
    ["https://github.com/octo-org/model-lib", [], true],
    [
      "https://github.com/octo-org/model-lib.git",
      ["http.https://github.com/.extraheader AUTHORIZATION: basic …"],
      false,
    ],
    ["https://x-access-token:abc@github.com/octo-org/model-lib", [], false],
    ["git@github.com:octo-org/model-lib.git", [], false],
    ["ssh://git@github.com/octo-org/model-lib.git", [], false],
    ["/tmp/origin.git", [], false],
    ["https://gitlab.example.com/octo-org/model-lib", [], false],
  ])("%s with %j configured: %s", (url, headers, expected) => {
    expect(needsToken(url, server, headers)).toBe(expected);
  });
});

describe("the token's way to git", () => {
  it("reaches git through the environment only: never the command line, never the config on disk", async () => {
    const dir = await tempDir();
    execFileSync("git", ["init", "-q", dir]);
    const [key, value] = tokenHeaderConfig("https://github.com", "ghs_secret");
    expect(key).toBe("http.https://github.com/.extraheader");
    expect(value).toBe(`AUTHORIZATION: basic ${Buffer.from("x-access-token:ghs_secret").toString("base64")}`);
    const seen = await gitClient(dir, configEnv([[key, value]])).raw(["config", "--get", key]);
    expect(seen.trim()).toBe(value);
    expect(await readFile(join(dir, ".git", "config"), "utf8")).not.toContain("extraheader");
  });
});

describe("the refresh worktree", () => {
  it("removes the worktree a killed refresh left registered, and keeps a live one's", async () => {
    const dir = await tempDir();
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
    execFileSync("git", ["init", "-q", "-b", "main", dir]);
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "init");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const abandoned = join(await tempDir(), `rosetta-bench-refresh-${dead}-abc123`);
    const live = join(await tempDir(), `rosetta-bench-refresh-${process.ppid}-def456`);
    git("worktree", "add", "-q", "--detach", "--no-checkout", abandoned, "HEAD");
    git("worktree", "add", "-q", "--detach", "--no-checkout", live, "HEAD");

    const tree = await RefreshWorktree.open(dir, {});
    const listed = git("worktree", "list", "--porcelain");
    expect(listed).not.toContain(abandoned);
    expect(existsSync(abandoned)).toBe(false);
    expect(listed).toContain(live);
    await tree.close();
    expect(git("worktree", "list", "--porcelain")).toContain(live);
  });
});
