/**
 * Runs one case in its own child process and turns whatever happens (a result,
 * an error message, a crash, a hang) into an outcome. The child leads its own
 * process group so a timeout kills it and anything it started.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import {
  workerMessageSchema,
  type CaseOutcome,
  type CaseSpec,
  type ResultMessage,
  type WorkerMessage,
} from "../core/protocol.js";

/** How much of the child's stderr a failed case keeps. */
export const STDERR_TAIL_BYTES = 8 * 1024;
/** Time between SIGTERM and SIGKILL on a timeout. */
export const KILL_GRACE_MS = 2_000;

export interface WorkerCommand {
  command: string;
  args: readonly string[];
  /**
   * What a worker that cannot be started means for the case: by default a
   * failure; for an interpreter the user names (`python`), the framework is
   * unavailable here, and this says why and what to do.
   */
  unstartable?: { status: "unavailable"; hint: string };
}

export interface RunCaseOptions {
  worker: WorkerCommand;
  timeoutMs: number;
  onMessage?: (message: WorkerMessage) => void;
  env?: NodeJS.ProcessEnv;
}

/** Workers running now, by process-group id: an interruption reaches each of them. */
const liveGroups = new Set<number>();
let interruption: NodeJS.Signals | undefined;

/**
 * Forwards an interruption (Ctrl-C, a runner cancelling the job) to every
 * running worker's process group: each worker leads its own group, so the
 * terminal's signal never reaches it. The case it was running fails as
 * "interrupted"; whoever runs the cases stops there and keeps what was measured.
 */
export function interruptWorkers(signal: NodeJS.Signals): void {
  interruption ??= signal;
  for (const pid of liveGroups) {
    killGroup(pid, signal);
    setTimeout(() => killGroup(pid, "SIGKILL"), KILL_GRACE_MS).unref();
  }
}

/** The signal that interrupted this run, if one did. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return interruption;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

export function runCase(spec: CaseSpec, options: RunCaseOptions): Promise<CaseOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(options.worker.command, [...options.worker.args], {
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    let stderr = "";
    const keepStderr = (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL_BYTES);
    };
    const samples: Record<string, number[]> = {};
    let result: ResultMessage | undefined;
    let error: Extract<WorkerMessage, { type: "error" }> | undefined;
    let lastProgress = "";
    let timedOut = false;
    let spawnError: Error | undefined;
    if (child.pid !== undefined) liveGroups.add(child.pid);

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, "SIGTERM");
      setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS).unref();
    }, options.timeoutMs);

    createInterface({ input: child.stdout }).on("line", (line) => {
      let message: WorkerMessage;
      try {
        const parsed = workerMessageSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
        message = parsed.data;
      } catch {
        keepStderr(`[stdout] ${line}\n`);
        return;
      }
      if (message.type === "sample") (samples[message.name] ??= []).push(message.value);
      else if (message.type === "progress") lastProgress = `${message.phase} ${message.done}/${message.total}`;
      else if (message.type === "result") result ??= message;
      else error ??= message;
      options.onMessage?.(message);
    });
    child.stderr.setEncoding("utf8").on("data", keepStderr);
    child.on("error", (err) => {
      spawnError = err;
    });
    child.stdin.on("error", () => {
      // The child exited before reading its spec; 'close' reports why.
    });
    child.stdin.end(JSON.stringify(spec));

    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      // Reap anything the worker left behind in its group.
      killGroup(child.pid, "SIGKILL");
      const base = { samples, stderrTail: stderr, durationS: (performance.now() - started) / 1000 };
      if (result) return resolve({ ...base, status: "ok", result, framework: result.framework });
      if (error) {
        return resolve({
          ...base,
          status: error.kind,
          reason: error.message,
          ...(error.framework ? { framework: error.framework } : {}),
        });
      }
      let reason: string;
      const unstartable = options.worker.unstartable;
      if (spawnError && unstartable) {
        return resolve({
          ...base,
          status: unstartable.status,
          reason: `could not start '${options.worker.command}': ${spawnError.message}; ${unstartable.hint}`,
        });
      }
      if (spawnError) reason = `could not start the worker '${options.worker.command}': ${spawnError.message}`;
      else if (interruption) reason = `interrupted (${interruption}) before the case finished`;
      else if (timedOut) {
        reason = `timed out after ${options.timeoutMs / 1000} s${lastProgress ? ` (last progress: ${lastProgress})` : ""}`;
      } else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = lastLines(stderr, 3);
        reason = `worker ${how} before reporting a result${tail ? `; stderr: ${tail}` : ""}`;
      }
      resolve({ ...base, status: "failed", reason });
    });
  });
}

/** The exit status of a process ended by `signal`, as shells report it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1);
}

/**
 * Handles SIGINT and SIGTERM for a front end: the first forwards the signal to
 * the workers (see {@link interruptWorkers}) and lets the run end with what it
 * measured; a second one ends the process at once. Returns the uninstaller.
 */
export function handleInterrupts(say: (message: string) => void): () => void {
  let seen = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (++seen > 1) process.exit(signalExitCode(signal));
    say(`${signal}: stopping the running case; the cases done so far are kept (send it again to quit at once)`);
    interruptWorkers(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
