/** What the pickle machine (src/data/pickle-vm.ts) builds: markers for the few objects it accepts. */

export const RECONSTRUCT = new Set(["numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"]);
export const ALLOWED_GLOBALS = new Set([...RECONSTRUCT, "numpy.ndarray", "numpy.dtype", "_codecs.encode"]);

export class PyGlobal {
  constructor(readonly path: string) {}
}
export class PyBytes {
  constructor(readonly bytes: Uint8Array) {}
}
export class PyDtype {
  state: unknown;
  constructor(readonly descr: string) {}
}
export class PyArray {
  state: unknown;
}
/** A list holds either integers (a range of the pool) or other values, never both. */
export class PyList {
  items: unknown[] = [];
  intStart = 0;
  intLength = 0;
}

export class IntPool {
  data = new Int32Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** Opcodes refused by name, so the message tells a user what the file holds. */
const REFUSED_NAMES: Record<number, string> = {
  0x7d: "EMPTY_DICT",
  0x73: "SETITEM",
  0x75: "SETITEMS",
  0x47: "BINFLOAT",
  0x46: "FLOAT",
  0x49: "INT",
  0x4c: "LONG",
  0x8b: "LONG4",
  0x81: "NEWOBJ",
  0x92: "NEWOBJ_EX",
  0x6f: "OBJ",
  0x69: "INST",
  0x8f: "EMPTY_SET",
  0x91: "FROZENSET",
  0x96: "BYTEARRAY8",
  0x97: "NEXT_BUFFER",
  0x53: "STRING",
  0x56: "UNICODE",
};

export function describeOpcode(op: number): string {
  const hex = `0x${op.toString(16).padStart(2, "0")}`;
  const name = REFUSED_NAMES[op];
  if (op >= 0x20 && op < 0x7f) return `${hex} ('${String.fromCharCode(op)}'${name ? `, ${name}` : ""})`;
  return name ? `${hex} (${name})` : hex;
}
