#!/usr/bin/env bash
# Runs the PyTorch cases through the real orchestrator on a bare CUDA machine
# (Python with PyTorch, no Node.js, no network) and keeps what it saw:
#   OUT/results.json, OUT/report.md      the results file and the report, as a user gets them
#   OUT/doctor.txt                        rosetta-bench doctor on that machine
#   OUT/nvidia-smi/TIME-PID.{args,out}    every nvidia-smi call the tool made, its arguments and raw output
#   OUT/log.txt                           progress and errors
#
#   scripts/gpu/pack.sh                   (here, with Node) writes .gpu/node.xz: the Node binary, xz-compressed
#   scripts/gpu/capture.sh OUT            (there) unpacks it and runs; OUT defaults to $OUT, else gpu-capture
#
# Environment: PYTHON (default python3), DEVICE (default gpu), PROFILE (default quick), WORKLOADS (default
# all three), TIMEOUT_S per case (default 600). The quick profile trains on synthetic data of the real shapes
# (--synthetic-data): the datasets cannot reach a machine without network, and the timing does not depend on
# the pixel values. On a CPU machine, DEVICE=cpu PROFILE=smoke runs the same path end to end.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-${OUT:-gpu-capture}}"
mkdir -p "$out/nvidia-smi"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
exec > >(tee -a "$out/log.txt") 2>&1

# Node.js: the machine's own, else the carried binary.
if command -v node >/dev/null; then
  node="$(command -v node)"
elif [ -f "$here/.gpu/node.xz" ]; then
  xz -dc "$here/.gpu/node.xz" > "$work/node" && chmod +x "$work/node"
  node="$work/node"
else
  echo "capture: no Node.js here and no .gpu/node.xz beside the tool: run scripts/gpu/pack.sh where Node is" >&2
  exit 2
fi
echo "node $("$node" --version) ($node)"

# Every nvidia-smi call the tool makes goes through a recorder that keeps its arguments and raw output.
# exec keeps the real nvidia-smi's process id, so the tool's SIGTERM to a sampling loop reaches it.
if real="$(command -v nvidia-smi)"; then
  mkdir -p "$work/bin"
  cat > "$work/bin/nvidia-smi" <<RECORDER
#!/usr/bin/env bash
# Named by the clock and the process: unique when calls overlap (a sampling loop and a query), in call order.
file="$out/nvidia-smi/\$(date +%s%N)-\$\$"
printf '%s\n' "\$@" > "\$file.args"
exec "$real" "\$@" > >(tee "\$file.out")
RECORDER
  chmod +x "$work/bin/nvidia-smi"
  export PATH="$work/bin:$PATH"
else
  echo "capture: no nvidia-smi on PATH; the run records no GPU telemetry"
fi

python="${PYTHON:-python3}"
"$python" -c 'import sys, torch; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' || true

cli="$here/dist/cli.js"
"$node" "$cli" doctor --python "$python" > "$out/doctor.txt" 2>&1 || echo "capture: doctor exited $?"

status=0
"$node" "$cli" run --frameworks pytorch --workloads "${WORKLOADS:-cnn-cifar10,rnn-imdb,resnet50-features}" \
  --profile "${PROFILE:-quick}" --synthetic-data --device "${DEVICE:-gpu}" --python "$python" \
  --case-timeout "${TIMEOUT_S:-600}" --data-dir "$work/data" --offline --baseline "$work/no-baseline.json" \
  --results "$out/results.json" --report "$out/report.md" > /dev/null || status=$?
echo "capture: run exited $status; wrote $(ls "$out" | tr '\n' ' ')and $(ls "$out/nvidia-smi" | grep -c '\.args$' || true) nvidia-smi call(s)"
exit "$status"
