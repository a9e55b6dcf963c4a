/** The pull-request boundary of a baseline refresh: find by head branch, create, update. */
import type { getOctokit } from "@actions/github";

type Octokit = ReturnType<typeof getOctokit>;

export interface PullRequestInfo {
  number: number;
  html_url: string;
}

export interface PullsApi {
  /** The open pull request from `branch` of this repository, if any. */
  findOpen(branch: string): Promise<PullRequestInfo | undefined>;
  create(branch: string, base: string, title: string, body: string): Promise<PullRequestInfo>;
  update(number: number, title: string, body: string): Promise<PullRequestInfo>;
}

export function octokitPulls(octokit: Octokit, owner: string, repo: string): PullsApi {
  return {
    findOpen: async (branch) => {
      const { data } = await octokit.rest.pulls.list({
        owner,
        repo,
        state: "open",
        head: `${owner}:${branch}`,
        per_page: 10,
      });
      return data[0];
    },
    create: async (branch, base, title, body) =>
      (await octokit.rest.pulls.create({ owner, repo, head: branch, base, title, body })).data,
    update: async (number, title, body) =>
      (await octokit.rest.pulls.update({ owner, repo, pull_number: number, title, body })).data,
  };
}
