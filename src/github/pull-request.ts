/**
 * Which pull request a run belongs to, from the event GitHub hands the action,
 * and the hand-off file that lets a trusted `workflow_run` job post the comment
 * for a pull request from a fork.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeJsonAtomic } from "../store/files.js";

export const PULL_REQUEST_FILE = "pull-request.json";

const handOffSchema = z.object({ number: z.int().positive(), headSha: z.string().regex(/^[0-9a-f]{40}$/) });
export type PullRequestRef = z.infer<typeof handOffSchema>;

/** The pull request of a `pull_request` or `pull_request_target` event; none for other events. */
export function pullRequestOf(eventName: string, payload: Record<string, unknown>): PullRequestRef | undefined {
  if (eventName !== "pull_request" && eventName !== "pull_request_target") return undefined;
  const pr = payload.pull_request as { number?: unknown; head?: { sha?: unknown } } | undefined;
  const parsed = handOffSchema.safeParse({ number: pr?.number, headSha: pr?.head?.sha });
  return parsed.success ? parsed.data : undefined;
}

export function writeHandOff(path: string, pr: PullRequestRef): Promise<void> {
  return writeJsonAtomic(path, pr);
}

/** Reads the hand-off file; it comes from an untrusted run, so it is validated strictly. */
export async function readHandOff(path: string): Promise<PullRequestRef> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new Error(`pull request file '${path}' could not be read: ${(err as Error).message}`, { cause: err });
  }
  const parsed = handOffSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(
      `pull request file '${path}' is not valid: expected {"number": <positive integer>, "headSha": <40 hex digits>}`,
    );
  }
  return parsed.data;
}
