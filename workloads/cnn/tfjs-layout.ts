/**
 * PyTorch-layout weights (architecture.ts) to tfjs's layouts, done once at
 * model build time so every framework trains the very same model.
 */

/** OIHW → HWIO (tfjs's filter layout). */
export function oihwToHwio(src: Float32Array, o: number, i: number, k: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let p = 0; p < k * k; p++) out[(p * i + ic) * o + oc] = src[(oc * i + ic) * k * k + p] ?? 0;
  return out;
}

/** [out, in] with `in` in C×H×W order → [in, out] with `in` in H×W×C order (our NHWC flatten). */
export function denseToTfjs(src: Float32Array, out: number, inFeatures: number, channels: number): Float32Array {
  const plane = inFeatures / channels;
  const dst = new Float32Array(src.length);
  for (let o = 0; o < out; o++)
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < plane; p++) dst[(p * channels + c) * out + o] = src[o * inFeatures + c * plane + p] ?? 0;
  return dst;
}

/** Row-major [rows, cols] → [cols, rows]. */
export function transpose2d(src: Float32Array, rows: number, cols: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c] ?? 0;
  return dst;
}
