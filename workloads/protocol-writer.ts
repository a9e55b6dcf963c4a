/** Writes protocol messages, one JSON line each, to the real stdout. */
import { writeSync } from "node:fs";
import type { WorkerMessage } from "../src/core/protocol.js";

export type Emit = (message: WorkerMessage) => void;

/**
 * Frameworks print banners and warnings with console.log; routing console output
 * to stderr keeps stdout for protocol lines only.
 */
export function protectStdout(): Emit {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ") + "\n");
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  // Synchronous writes: a message written just before a crash or a kill still arrives.
  return (message) => writeSync(1, JSON.stringify(message) + "\n");
}
