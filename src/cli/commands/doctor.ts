/**
 * rosetta-bench doctor: for whoever sets up a runner, one screen on what this
 * machine can measure: the GPUs and driver nvidia-smi sees, the CUDA libraries
 * each native framework build needs (found or not), and for every framework ×
 * device whether it loads, where its work runs, and what to do where it does not.
 */
import { FRAMEWORKS, FRAMEWORK_IDS } from "../../core/catalog.js";
import { caseId } from "../../core/case-id.js";
import { PROTOCOL_VERSION, type CaseOutcome, type FeatureCaseSpec } from "../../core/protocol.js";
import { plainLine } from "../../core/text.js";
import type { Config } from "../../configure/config.js";
import { probeCudaVersion, probeNvidiaGpus } from "../../prepare/environment.js";
import { cliBoundaries } from "../main.js";
import {
  cudaLibrariesProblem,
  missingLibraries,
  TFJS_NODE_GPU_CUDA,
  type CudaRequirement,
} from "../../../workloads/frameworks/cuda-libraries.js";
import type { Io } from "../io.js";
import type { RunBoundaries } from "../../run/cases.js";
import type { Gpu } from "../../core/results-schema.js";

/** onnxruntime-node's CUDA provider for CUDA 12 is built against cuDNN 9. */
const ONNXRUNTIME_CUDA: CudaRequirement = {
  needs: "onnxruntime-node's CUDA provider",
  versions: "CUDA 12 and cuDNN 9",
  libraries: ["libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcudnn.so.9"],
};

/** One tiny forward pass: enough to load the framework and place its work, quick on any backend. */
const PROBE = { batchSize: 1, batches: 1, imageSize: 32, warmupPasses: 0 };

/** What to do about an unavailable framework, from its reason. */
function advice(framework: string, reason: string): string {
  const pkg = FRAMEWORKS[framework as keyof typeof FRAMEWORKS]?.package ?? framework;
  if (/could not be loaded: Cannot find (package|module)/.test(reason)) return `install ${pkg}`;
  if (/needs CUDA/.test(reason))
    return "install the CUDA and cuDNN runtime libraries named, or put them on LD_LIBRARY_PATH";
  if (/CUDA execution provider/.test(reason)) {
    return "fetch the CUDA provider (the action does: onnxruntime-node's script/install with ONNXRUNTIME_NODE_INSTALL=cuda12) and install CUDA 12 with cuDNN 9";
  }
  if (/does not run on the/.test(reason)) return "not supported on this device";
  if (/PyTorch cannot be imported|could not start '/.test(reason)) {
    return "install PyTorch for the interpreter (Debian: apt-get install python3-torch python3-torchvision, then --python /usr/bin/python3), or name one that has it with --python";
  }
  if (/sees no CUDA device/.test(reason))
    return "install a CUDA build of PyTorch, and check the driver and CUDA_VISIBLE_DEVICES";
  if (/no usable GPU device/.test(reason)) return "check the driver (nvidia-smi) and CUDA_VISIBLE_DEVICES";
  return "see the reason";
}

function where(framework: string, outcome: CaseOutcome): string {
  const fw = outcome.result?.framework;
  return `${fw?.backend ?? "an unnamed backend"} (${framework} ${fw?.version ?? ""})`.replace(" )", ")");
}

export async function doctorCommand(config: Config, io: Io): Promise<number> {
  const log: string[] = [];
  const boundaries = cliBoundaries(config, (m) => log.push(m));
  const gpus = await probeNvidiaGpus();
  // Pins install for the GPU where there is one: that onnxruntime has the CUDA provider and the CPU one.
  await boundaries.prepare?.(gpus.length ? "gpu" : "cpu", FRAMEWORK_IDS);
  const lines = await diagnose(config, boundaries, gpus);
  io.stdout.write([...lines.slice(0, 1), ...log, ...lines.slice(1)].join("\n") + "\n");
  return 0;
}

/**
 * The diagnosis itself, one line each, on boundaries already prepared: the
 * CLI's, or the action's after a run in which a GPU case was unavailable (the
 * frameworks that run installed for it; nothing is installed again).
 */
export async function diagnose(
  config: Config,
  io2: Pick<RunBoundaries, "runCase">,
  gpus?: readonly Gpu[],
): Promise<string[]> {
  const out: string[] = ["rosetta-bench doctor", ""];
  gpus ??= await probeNvidiaGpus();
  const cuda = gpus.length ? await probeCudaVersion() : undefined;
  out.push(
    gpus.length
      ? `GPUs (nvidia-smi): ${gpus.map((g) => `${g.index ?? "?"}: ${g.name}${g.memoryMiB ? `, ${g.memoryMiB} MiB` : ""}`).join("; ")}`
      : "GPUs: none (no nvidia-smi, or it lists no GPU): GPU cases cannot run here",
  );
  if (gpus.length) out.push(`Driver ${gpus[0]?.driver ?? "unknown"}, supporting CUDA up to ${cuda ?? "unknown"}`);
  if (process.env.CUDA_VISIBLE_DEVICES !== undefined) {
    out.push(`CUDA_VISIBLE_DEVICES=${plainLine(process.env.CUDA_VISIBLE_DEVICES)} (set by this environment)`);
  }
  out.push("", "CUDA libraries the native GPU builds need:");
  for (const req of [TFJS_NODE_GPU_CUDA, ONNXRUNTIME_CUDA]) {
    const missing = missingLibraries(req);
    out.push(`  ${req.needs}: ${req.versions}: ${missing.length ? `missing ${missing.join(", ")}` : "all found"}`);
  }

  out.push("", "Frameworks (a one-image ResNet-50 pass each):");
  let usable = 0;
  for (const framework of FRAMEWORK_IDS) {
    for (const device of FRAMEWORKS[framework].devices) {
      if (device === "gpu" && !gpus.length) {
        out.push(`  ${framework} on the gpu: not tried (no GPU)`);
        continue;
      }
      const base = { framework, device, profile: "doctor", workload: "resnet50-features" as const };
      const spec: FeatureCaseSpec = {
        protocol: PROTOCOL_VERSION,
        id: caseId(base),
        ...base,
        seed: 1,
        threads: config.threads,
        params: PROBE,
      };
      const outcome = await io2.runCase(spec, () => undefined);
      if (outcome.status === "ok") {
        usable++;
        out.push(`  ${framework} on the ${device}: ✅ loads; runs on ${where(framework, outcome)}`);
      } else {
        const reason = plainLine(outcome.reason ?? "no reason given");
        out.push(
          `  ${framework} on the ${device}: ❌ ${outcome.status}: ${reason}`,
          `      → ${advice(framework, reason)}`,
        );
      }
    }
  }
  const gpuProblem = cudaLibrariesProblem(TFJS_NODE_GPU_CUDA, missingLibraries(TFJS_NODE_GPU_CUDA));
  out.push("", `${usable} framework × device combination(s) can be measured here.`);
  if (gpus.length && gpuProblem)
    out.push("tfjs-node-gpu cannot use this machine's GPU until its CUDA libraries are there.");
  return out;
}
