/**
 * A loopback HTTP server (127.0.0.1 only) standing in for the dataset hosts.
 * Each path serves its bytes; `plan` scripts how the next requests misbehave.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** ok: the file; corrupt: same length, one byte changed; cut: half the body, then the socket closes; stall: half, then silence. */
export type Behaviour = "ok" | "corrupt" | "cut" | "stall" | 404 | 500 | 503;

export interface LoopbackServer {
  /** Base URL, no trailing slash. */
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  /** The next requests of `path` behave so, in order; then "ok" again. */
  plan(path: string, ...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

const CHUNK = 1024; // several chunks per fixture, so progress is reported more than once

function send(res: ServerResponse, body: Uint8Array, behaviour: Behaviour): void {
  if (typeof behaviour === "number") {
    res.writeHead(behaviour, { "content-type": "text/plain" }).end(`status ${behaviour}`);
    return;
  }
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(body.length) });
  let data = body;
  if (behaviour === "corrupt") {
    data = Uint8Array.from(body);
    const mid = data.length >> 1;
    data[mid] = data[mid]! ^ 0xff;
  }
  const end = behaviour === "cut" || behaviour === "stall" ? data.length >> 1 : data.length;
  for (let at = 0; at < end; at += CHUNK) res.write(data.subarray(at, Math.min(end, at + CHUNK)));
  // Close once the client has the headers and part of the body: a connection lost mid-download.
  if (behaviour === "cut") setTimeout(() => res.socket?.destroy(), 50);
  else if (behaviour === "ok" || behaviour === "corrupt") res.end();
}

export async function startLoopbackServer(files: Record<string, Uint8Array>): Promise<LoopbackServer> {
  const requests: string[] = [];
  const plans = new Map<string, Behaviour[]>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    requests.push(path);
    const body = files[path];
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    send(res, body, plans.get(path)?.shift() ?? "ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    plan: (path, ...behaviours) => plans.set(path, [...(plans.get(path) ?? []), ...behaviours]),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
