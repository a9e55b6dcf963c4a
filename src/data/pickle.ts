/**
 * A pickle reader for exactly what numpy writes for a 1-D object array whose
 * items are lists of ints (the reviews in Keras' imdb.npz), protocols 2 to 5.
 * It builds no Python objects: integers go straight into one growing Int32Array.
 * Any other opcode or global is refused by name, so a pickle can never make
 * this reader call anything.
 */
import { DataError } from "./verify.js";

/** Lists of integers stored back to back: list i is values[starts[i] .. starts[i] + lengths[i]). */
export interface RaggedInts {
  values: Int32Array;
  starts: Int32Array;
  lengths: Int32Array;
  count: number;
}

const RECONSTRUCT = new Set(["numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"]);
const ALLOWED_GLOBALS = new Set([...RECONSTRUCT, "numpy.ndarray", "numpy.dtype", "_codecs.encode"]);

class PyGlobal {
  constructor(readonly path: string) {}
}
class PyBytes {
  constructor(readonly bytes: Uint8Array) {}
}
class PyDtype {
  state: unknown;
  constructor(readonly descr: string) {}
}
class PyArray {
  state: unknown;
}
/** A list holds either integers (a range of the pool) or other values, never both. */
class PyList {
  items: unknown[] = [];
  intStart = 0;
  intLength = 0;
}

class IntPool {
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

/** Names of opcodes the reader refuses but a user may meet, for the error message. */
const OPCODE_NAMES: Record<number, string> = {
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
  0x90: "ADDITEMS",
  0x91: "FROZENSET",
  0x96: "BYTEARRAY8",
  0x97: "NEXT_BUFFER",
  0x53: "STRING",
  0x56: "UNICODE",
};

/** Reads a pickled numpy object array of integer lists. `label` names the file in errors. */
export function readPickledIntLists(data: Uint8Array, label: string): RaggedInts {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const latin1 = new TextDecoder("latin1");
  const utf8 = new TextDecoder("utf-8");
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const pool = new IntPool();
  let pos = 0;
  let at = 0; // offset of the current opcode, for messages

  const fail = (what: string): never => {
    throw new DataError(
      `${label}: ${what} at byte ${at} of its pickle; accepted: a numpy object array of integer lists`,
    );
  };
  const need = (n: number) => {
    if (pos + n > data.length) fail("the pickle ends early");
  };
  const pop = (): unknown => (stack.length ? stack.pop() : fail("malformed pickle (empty stack)"));
  const popMark = (): unknown[] => {
    const mark = marks.pop() ?? fail("malformed pickle (no mark)");
    return stack.splice(mark);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    pos += n;
    return data.subarray(pos - n, pos);
  };
  const u8 = () => take(1)[0]!;
  const u32 = () => {
    need(4);
    pos += 4;
    return view.getUint32(pos - 4, true);
  };
  const u64 = () => {
    const low = u32();
    const high = u32();
    return high === 0 ? low : fail("64-bit length too large");
  };
  const append = (list: unknown, value: unknown) => {
    if (!(list instanceof PyList)) return fail("APPEND to something that is not a list");
    if (typeof value === "number") {
      if (list.items.length) fail("a list mixing integers and other values");
      if (list.intLength === 0) list.intStart = pool.length;
      else if (list.intStart + list.intLength !== pool.length) fail("lists filled in an interleaved order");
      if (!(value >= -(2 ** 31) && value < 2 ** 31)) fail(`integer ${value} does not fit 32 bits`);
      pool.push(value);
      list.intLength++;
    } else {
      if (list.intLength) fail("a list mixing integers and other values");
      list.items.push(value);
    }
  };
  const reduce = (callable: unknown, args: unknown): unknown => {
    if (!(callable instanceof PyGlobal) || !Array.isArray(args)) return fail("REDUCE of something not callable");
    if (RECONSTRUCT.has(callable.path)) return new PyArray();
    if (callable.path === "numpy.dtype" && typeof args[0] === "string") return new PyDtype(args[0]);
    if (callable.path === "_codecs.encode" && typeof args[0] === "string") {
      return new PyBytes(Uint8Array.from(args[0], (c) => c.charCodeAt(0) & 0xff));
    }
    return fail(`unsupported call of ${callable.path}`);
  };
  const global = (module: string, name: string) => {
    const path = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(path)) fail(`unsupported pickle global '${path}'`);
    return new PyGlobal(path);
  };

  let result: unknown;
  while (result === undefined) {
    at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail("pickle protocol above 5");
        break;
      case 0x95: // FRAME: the whole pickle is in memory, frames need no handling
        take(8);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        need(2);
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement; Python 2 wrote its longs this way
        const bytes = take(u8());
        if (bytes.length > 6) fail("integer too large");
        let value = 0;
        for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + bytes[i]!;
        if (bytes.length && bytes[bytes.length - 1]! & 0x80) value -= 2 ** (8 * bytes.length);
        stack.push(value);
        break;
      }
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8.decode(take(u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8.decode(take(u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8.decode(take(u64())));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
        stack.push(latin1.decode(take(u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(latin1.decode(take(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(new PyBytes(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(new PyBytes(take(u32())));
        break;
      case 0x8e: // BINBYTES8
        stack.push(new PyBytes(take(u64())));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, stack[stack.length - 1]);
        break;
      case 0x71: // BINPUT
        memo.set(u8(), stack[stack.length - 1]);
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), stack[stack.length - 1]);
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(`memo key ${key} was never stored`);
        stack.push(memo.get(key));
        break;
      }
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const end1 = data.indexOf(0x0a, pos);
        const end2 = end1 < 0 ? -1 : data.indexOf(0x0a, end1 + 1);
        if (end2 < 0) fail("GLOBAL without its two lines");
        const module = latin1.decode(data.subarray(pos, end1));
        const name = latin1.decode(data.subarray(end1 + 1, end2));
        pos = end2 + 1;
        stack.push(global(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL without two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push(new PyList());
        break;
      case 0x6c: {
        // LIST
        const list = new PyList();
        for (const item of popMark()) append(list, item);
        stack.push(list);
        break;
      }
      case 0x61: {
        // APPEND
        const value = pop();
        append(stack[stack.length - 1], value);
        break;
      }
      case 0x65: {
        // APPENDS
        const mark = marks.pop() ?? fail("malformed pickle (no mark)");
        const list = stack[mark - 1];
        for (let i = mark; i < stack.length; i++) append(list, stack[i]);
        stack.length = mark;
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(reduce(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = stack[stack.length - 1];
        if (!(target instanceof PyArray || target instanceof PyDtype)) fail("BUILD of an unsupported object");
        (target as PyArray | PyDtype).state = state;
        break;
      }
      case 0x2e: // STOP
        result = pop();
        break;
      default: {
        const name = OPCODE_NAMES[op] ? `, ${OPCODE_NAMES[op]}` : "";
        const char =
          op >= 0x20 && op < 0x7f ? ` ('${String.fromCharCode(op)}'${name})` : name ? ` (${name.slice(2)})` : "";
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, "0")}${char}`);
      }
    }
  }
  return toRagged(result, pool, fail);
}

/** Checks the unpickled object is a 1-D object ndarray of int lists and lays it out. */
function toRagged(result: unknown, pool: IntPool, fail: (what: string) => never): RaggedInts {
  if (!(result instanceof PyArray) || !Array.isArray(result.state)) return fail("the pickle is not a numpy array");
  const [, shape, dtype, , items] = result.state as unknown[];
  if (!(dtype instanceof PyDtype) || !/^O\d$/.test(dtype.descr)) {
    return fail(`array dtype '${dtype instanceof PyDtype ? dtype.descr : "?"}' is not an object dtype`);
  }
  if (!Array.isArray(shape) || shape.length !== 1) return fail("the object array is not 1-D");
  if (!(items instanceof PyList) || items.intLength) return fail("the array's items are not a list of lists");
  const count = items.items.length;
  if (shape[0] !== count) return fail(`the array's shape (${String(shape[0])},) does not match its ${count} items`);
  const starts = new Int32Array(count);
  const lengths = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const list = items.items[i];
    if (!(list instanceof PyList) || list.items.length) return fail(`item ${i} is not a list of integers`);
    starts[i] = list.intStart;
    lengths[i] = list.intLength;
  }
  return { values: pool.data.subarray(0, pool.length), starts, lengths, count };
}
