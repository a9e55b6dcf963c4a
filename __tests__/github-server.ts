/**
 * A loopback HTTP server that speaks the GitHub REST routes the action uses:
 * GET /user, issue comments (list with pagination, create, update) and getting a pull
 * request. State lives in memory; every request is recorded.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: string };
}

export interface StoredPull {
  number: number;
  head: { sha: string; ref?: string };
  base?: { ref: string };
  title?: string;
  body?: string;
  state?: string;
  html_url?: string;
}

export interface FakeGitHub {
  url: string;
  requests: Array<{ method: string; path: string }>;
  comments: Map<number, StoredComment[]>;
  pulls: Map<number, StoredPull>;
  /** Status to answer create/update with instead of doing them (403 for a read-only token). */
  denyWrites?: number;
  /** The user a personal token belongs to; unset: the Actions token, for which GET /user answers 403. */
  tokenUser?: string;
  close(): Promise<void>;
}

const PER_PAGE_MAX = 100;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
}

export async function startFakeGitHub(owner: string, repo: string): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake: Omit<FakeGitHub, "url" | "close"> = { requests: [], comments: new Map(), pulls: new Map() };
  const base = `/repos/${owner}/${repo}`;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      fake.requests.push({ method: req.method ?? "", path: url.pathname + url.search });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/user" && req.method === "GET") {
        return fake.tokenUser
          ? send(200, { login: fake.tokenUser, type: "User" })
          : send(403, { message: "Resource not accessible by integration" });
      }
      const list = url.pathname.match(new RegExp(`^${base}/issues/(\\d+)/comments$`));
      const one = url.pathname.match(new RegExp(`^${base}/issues/comments/(\\d+)$`));
      const pull = url.pathname.match(new RegExp(`^${base}/pulls/(\\d+)$`));
      if (url.pathname === `${base}/pulls` && req.method === "GET") {
        const head = url.searchParams.get("head")?.split(":")[1];
        const state = url.searchParams.get("state") ?? "open";
        return send(
          200,
          [...fake.pulls.values()].filter((p) => (p.state ?? "open") === state && (!head || p.head.ref === head)),
        );
      }
      if (url.pathname === `${base}/pulls` && req.method === "POST") {
        const body = await readBody(req);
        const number = 100 + fake.pulls.size;
        const created: StoredPull = {
          number,
          head: { sha: "", ref: String(body.head) },
          base: { ref: String(body.base) },
          title: String(body.title),
          body: String(body.body),
          state: "open",
          html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
        };
        fake.pulls.set(number, created);
        return send(201, created);
      }
      if (pull && req.method === "PATCH") {
        const body = await readBody(req);
        const found = fake.pulls.get(Number(pull[1]));
        if (!found) return send(404, { message: "Not Found" });
        Object.assign(found, { title: String(body.title), body: String(body.body) });
        return send(200, found);
      }
      if (list && req.method === "GET") {
        const all = fake.comments.get(Number(list[1])) ?? [];
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), PER_PAGE_MAX);
        const page = Number(url.searchParams.get("page") ?? 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const headers: Record<string, string> = {};
        if (page < last) {
          const next = new URL(url);
          next.searchParams.set("page", String(page + 1));
          headers.link = `<${serverUrl}${next.pathname}${next.search}>; rel="next"`;
        }
        return send(200, all.slice((page - 1) * perPage, page * perPage), headers);
      }
      if ((list && req.method === "POST") || (one && req.method === "PATCH")) {
        const body = await readBody(req);
        if (fake.denyWrites) return send(fake.denyWrites, { message: "Resource not accessible by integration" });
        if (list) {
          const issue = Number(list[1]);
          const id = nextId++;
          const comment = {
            id,
            body: String(body.body),
            html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
            user: fake.tokenUser
              ? { login: fake.tokenUser, type: "User" }
              : { login: "github-actions[bot]", type: "Bot" },
          };
          fake.comments.set(issue, [...(fake.comments.get(issue) ?? []), comment]);
          return send(201, comment);
        }
        for (const comments of fake.comments.values()) {
          const found = comments.find((c) => c.id === Number(one?.[1]));
          if (found) {
            found.body = String(body.body);
            return send(200, found);
          }
        }
        return send(404, { message: "Not Found" });
      }
      if (pull && req.method === "GET") {
        const found = fake.pulls.get(Number(pull[1]));
        return found ? send(200, found) : send(404, { message: "Not Found" });
      }
      send(404, { message: `no route for ${req.method} ${url.pathname}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url: serverUrl,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Comments that are not ours, enough to push ours past the first page. */
export function unrelatedComments(count: number, owner: string, repo: string, issue: number): StoredComment[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    body: `review comment ${i + 1}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${i + 1}`,
    user: { login: "reviewer", type: "User" },
  }));
}
