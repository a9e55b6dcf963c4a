/**
 * Seeded pseudo-random numbers for weights and fake input data.
 *
 * Every framework must see bit-identical weights and inputs, so the generator is
 * ours (mulberry32: small, fast, well distributed for this purpose) rather than a
 * framework's, whose streams differ between frameworks and versions.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Fills `out` with uniform floats in [low, high). */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * this.next();
    return out;
  }
}

/** Derives an independent stream seed from a base seed and a label (FNV-1a). */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
