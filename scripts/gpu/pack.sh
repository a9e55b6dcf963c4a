#!/usr/bin/env bash
# Writes .gpu/node.xz (git-ignored): this machine's Node.js binary, xz-compressed
# (about 24 MB for Node 20), for scripts/gpu/capture.sh on a machine without Node.
# With the working tree (dist/ and workloads/pytorch are committed) it is all the
# capture needs; carry .gpu (see the device notes in the README).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .gpu
node="$(command -v node)"
xz -T0 -6 -c "$node" > .gpu/node.xz.tmp && mv .gpu/node.xz.tmp .gpu/node.xz
echo "$(node --version) from $node: .gpu/node.xz $(du -m .gpu/node.xz | cut -f1) MB (binary $(du -m "$node" | cut -f1) MB)"
