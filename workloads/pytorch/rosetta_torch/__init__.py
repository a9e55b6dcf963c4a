"""rosetta-bench's PyTorch worker: one case spec on stdin, protocol lines on stdout (src/core/protocol.ts)."""
