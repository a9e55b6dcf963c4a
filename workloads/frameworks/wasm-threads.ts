/**
 * tfjs's threaded SIMD wasm build under Node's worker_threads.
 *
 * tfjs-backend-wasm 4.22 ships the threaded build (wasm-out/tfjs-backend-wasm-threaded-simd.*)
 * but never picks it under Node, for three reasons, each handled here with the
 * smallest change we found:
 *
 * 1. Its WASM_HAS_MULTITHREAD_SUPPORT flag answers false whenever IS_NODE
 *    (tensorflow/tfjs#3830). A tfjs flag may be set before the backend starts:
 *    we set it to true once we have checked that this Node can share wasm memory.
 * 2. Its loader starts the emscripten pthread workers from a `blob:` URL of the
 *    worker script, and hands them the main script as a Blob of the *bundled*
 *    factory (which calls the bundle's own helpers and cannot run alone).
 *    worker_threads' Worker takes a path or a file:/data: URL, never `blob:`.
 *    The loader creates its workers with the global `Worker`, which emscripten
 *    sets to worker_threads' Worker while it starts; for that moment we make the
 *    global answer a subclass that runs the same worker script (the package's
 *    wasm-out copy, identical to the embedded one) as evaluated code, and that
 *    points the worker's `load` message at the package's own emscripten script
 *    (wasm-out/tfjs-backend-wasm-threaded-simd.js), the file emscripten itself
 *    would have named.
 * 3. The C side caps the XNNPACK pool at emscripten_num_logical_cores() / 2
 *    (it assumes two hyper-threads per core) and at 8 (the size of the
 *    pre-started worker pool); under Node that core count is os.cpus().length,
 *    read once while the module starts. So while the backend starts, os.cpus()
 *    reports 2 × the asked threads, and setThreadsCount(threads) picks the
 *    count. The count that actually ran is read back with getThreadsCount().
 *
 * Everything patched is put back as soon as setBackend returns: the pool of 8
 * workers is started up front and the pool never asks for more than 7 of them,
 * so no worker is created later.
 */
import type { CpuInfo } from "node:os";
import { dirname, join } from "node:path";
import { Worker as NodeWorker, type WorkerOptions } from "node:worker_threads";
import type * as TfType from "@tensorflow/tfjs";

/** The public thread settings of @tensorflow/tfjs-backend-wasm. */
export interface WasmThreadsApi {
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

/** The most threads the wasm backend's XNNPACK pool takes (its pre-started pool of 8 workers). */
export const WASM_MAX_THREADS = 8;

const WORKER_SCRIPT = "wasm-out/tfjs-backend-wasm-threaded-simd.worker.js";
const MAIN_SCRIPT = "wasm-out/tfjs-backend-wasm-threaded-simd.js";

/** Why this Node cannot run threaded wasm, or undefined when it can. */
export function wasmThreadsProblem(): string | undefined {
  if (typeof SharedArrayBuffer !== "function") return "this Node has no SharedArrayBuffer";
  try {
    // (The project's TypeScript libs declare WebAssembly's types, not its values.)
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => unknown } }).WebAssembly;
    new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    return undefined;
  } catch (err) {
    return `this Node cannot share wasm memory: ${(err as Error).message}`;
  }
}

/** A worker_threads Worker that starts emscripten's pthread workers from real code instead of `blob:` URLs. */
function pthreadWorkerClass(workerSource: string, mainScript: string): typeof NodeWorker {
  return class PthreadWorker extends NodeWorker {
    constructor(filename: string | URL, options?: WorkerOptions) {
      if (typeof filename === "string" && filename.startsWith("blob:")) {
        URL.revokeObjectURL(filename);
        super(workerSource, { eval: true });
      } else {
        super(filename, options);
      }
    }
    override postMessage(message: unknown, transfer?: Parameters<NodeWorker["postMessage"]>[1]): void {
      const m = message as { cmd?: unknown; urlOrBlob?: unknown } | null;
      if (m && m.cmd === "load" && typeof m.urlOrBlob !== "string") message = { ...m, urlOrBlob: mainScript };
      super.postMessage(message, transfer);
    }
  };
}

/**
 * Starts tfjs's wasm backend on `threads` threads (at most WASM_MAX_THREADS) and
 * returns the count that actually ran. One thread keeps the plain SIMD build (no
 * workers at all). `req` loads files of the loaded @tensorflow/tfjs-backend-wasm
 * (the pinned install's when there are pins). Returns the threads that ran (0
 * when the backend failed to start) and, when more than one was asked for and
 * only one could run, why.
 */
export async function startWasmBackend(
  tf: typeof TfType,
  api: WasmThreadsApi,
  threads: number,
  req: NodeJS.Require,
): Promise<{ threads: number; problem?: string }> {
  let problem = threads > 1 ? wasmThreadsProblem() : undefined;
  const scripts = threads > 1 && problem === undefined ? threadedScripts(req) : undefined;
  if (typeof scripts === "string") problem = scripts;
  if (scripts !== undefined && typeof scripts !== "string") {
    const PthreadWorker = pthreadWorkerClass(scripts.workerSource, scripts.mainScript);
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    api.setThreadsCount(Math.min(threads, WASM_MAX_THREADS));
    const restore = patchWhileStarting(PthreadWorker, threads, req("os") as CpusModule);
    try {
      if (!(await tf.setBackend("wasm"))) return { threads: 0 };
    } finally {
      restore();
    }
  } else {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    api.setThreadsCount(1);
    if (!(await tf.setBackend("wasm"))) return { threads: 0 };
  }
  await tf.ready();
  return { threads: api.getThreadsCount(), ...(problem ? { problem } : {}) };
}

/**
 * The pthread worker's source and the path of the emscripten script it loads,
 * from the loaded package's wasm-out/, or why they cannot be had (a version
 * that ships them elsewhere: the backend then runs on one thread).
 */
export function threadedScripts(req: NodeJS.Require): { workerSource: string; mainScript: string } | string {
  try {
    const packageDir = dirname(req.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
    const mainScript = join(packageDir, MAIN_SCRIPT);
    req.resolve(mainScript);
    const { wasmWorkerContents } = req(join(packageDir, WORKER_SCRIPT)) as { wasmWorkerContents?: unknown };
    if (typeof wasmWorkerContents !== "string") return `${WORKER_SCRIPT} exports no wasmWorkerContents`;
    // tfjs escapes the newlines inside the script's string literals the same way before making its Blob.
    return { workerSource: wasmWorkerContents.replace(/\n/g, "\\n"), mainScript };
  } catch (err) {
    return `the threaded build's scripts could not be loaded: ${(err as Error).message.split("\n")[0]}`;
  }
}

/** node:os as the wasm loader sees it (it calls require("os").cpus()). */
interface CpusModule {
  cpus: () => CpuInfo[];
}

/** Points the global Worker at `worker` and makes os.cpus() report 2 × `threads` entries; returns the undo. */
function patchWhileStarting(worker: typeof NodeWorker, threads: number, os: CpusModule): () => void {
  const g = globalThis as { Worker?: unknown };
  const previous = Object.getOwnPropertyDescriptor(g, "Worker");
  Object.defineProperty(g, "Worker", {
    configurable: true,
    get: () => worker,
    // emscripten assigns worker_threads' Worker here while it starts; ours answers instead.
    set: () => undefined,
  });
  const cpus = os.cpus;
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: Math.max(real.length, 2 * threads) }, (_, i) => real[i % real.length]!);
  };
  return () => {
    os.cpus = cpus;
    if (previous) Object.defineProperty(g, "Worker", previous);
    else delete g.Worker;
  };
}
