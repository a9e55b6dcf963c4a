/**
 * Replacing a tfjs wasm kernel with a faster path for the cases it handles,
 * keeping the backend's own kernel for every other case.
 */
import type * as tfType from "@tensorflow/tfjs";

type Tf = typeof tfType;

/** The parts of the wasm backend our kernels use (public methods of BackendWasm). */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tfType.DataType): tfType.TensorInfo;
  /** A view of a tensor's data on the wasm heap; create it after makeOutput (the heap may grow). */
  typedArrayFromHeap(info: tfType.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export type KernelArgs = Parameters<tfType.KernelFunc>[0];
/** Returns the output, or undefined to hand the call to the backend's own kernel. */
export type FastPath = (args: KernelArgs, backend: WasmBackend) => tfType.TensorInfo | undefined;

const replaced = Symbol("rosetta-bench fast wasm kernel");

/** Registers `fast` in front of the wasm kernel `name`. Calling it again changes nothing. */
export function replaceWasmKernel(tf: Tf, name: string, fast: FastPath): void {
  const original = tf.getKernel(name, "wasm");
  if (!original || replaced in original.kernelFunc) return;
  const kernelFunc = Object.assign(
    (args: KernelArgs) => fast(args, args.backend as unknown as WasmBackend) ?? original.kernelFunc(args),
    { [replaced]: true },
  );
  tf.unregisterKernel(name, "wasm");
  tf.registerKernel({ ...original, kernelFunc });
}
