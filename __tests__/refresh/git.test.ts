import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configEnv, gitClient, needsToken, tokenHeaderConfig } from "../../src/refresh/git.js";
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
