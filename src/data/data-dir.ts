/** Where datasets are cached when no folder is named. */
import os from "node:os";
import { join } from "node:path";

/**
 * The user's cache folder plus `rosetta-bench`: `$XDG_CACHE_HOME` when set,
 * else `~/.cache` (Linux and other Unixes, and GitHub's Linux runners, whose
 * home folder survives between jobs on self-hosted machines); `%LOCALAPPDATA%`
 * on Windows; `~/Library/Caches` on macOS.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "rosetta-bench");
  if (platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "rosetta-bench");
  if (platform === "darwin") return join(home, "Library", "Caches", "rosetta-bench");
  return join(home, ".cache", "rosetta-bench");
}

/** `~` and `~/…` as a shell would read them: workflow inputs and quoted flags reach us unexpanded. */
export function expandHome(path: string, home: string = os.homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return path;
}
