/**
 * How much a second thread can gain on this machine right now: the same
 * embarrassingly parallel JS loop on 1 and on N worker_threads for a fixed time,
 * work done on N over work done on 1. On an idle 2-core machine it is about 2;
 * when neighbours keep the cores busy it falls towards 1, and no benchmark of
 * threads can show more than it.
 */
import { Worker } from "node:worker_threads";

const SPIN = `
const { parentPort, workerData } = require("node:worker_threads");
const end = Date.now() + workerData;
let rounds = 0, sink = 0;
while (Date.now() < end) { for (let i = 0; i < 1e5; i++) sink += Math.sqrt(i); rounds++; }
parentPort.postMessage(rounds + (sink < 0 ? 1 : 0));`;

function spin(threads: number, ms: number): Promise<number> {
  const runs = Array.from(
    { length: threads },
    () =>
      new Promise<number>((done, fail) => {
        const w = new Worker(SPIN, { eval: true, workerData: ms });
        w.once("message", (n: number) => done(n));
        w.once("error", fail);
      }),
  );
  return Promise.all(runs).then((counts) => counts.reduce((a, b) => a + b, 0));
}

/** Work on `threads` threads over work on one, each spinning for `ms`. */
export async function threadHeadroom(threads: number, ms = 1000): Promise<number> {
  const one = await spin(1, ms);
  const many = await spin(threads, ms);
  return many / one;
}
