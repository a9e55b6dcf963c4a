/**
 * The pickle machine behind src/data/pickle.ts: the opcodes numpy (protocols
 * 2 to 5) and Python 2 use to pickle a 1-D object array of int lists, and
 * nothing else. It builds no Python objects: integers appended to a list go
 * straight into one growing Int32Array, and the only globals it will name are
 * numpy's array reconstruction and `_codecs.encode` (how protocol 2 spells
 * bytes), none of which it calls.
 */
import {
  ALLOWED_GLOBALS,
  IntPool,
  PyArray,
  PyBytes,
  PyDtype,
  PyGlobal,
  PyList,
  RECONSTRUCT,
  describeOpcode,
} from "./pickle-values.js";

/** Thrown with what went wrong; the caller adds the file name and offset. */
export class PickleError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export class Unpickler {
  readonly pool = new IntPool();
  private readonly view: DataView;
  private readonly stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly latin1 = new TextDecoder("latin1");
  private readonly utf8 = new TextDecoder("utf-8");
  private pos = 0;
  private at = 0; // offset of the opcode being run, for messages

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  fail(what: string): never {
    throw new PickleError(what, this.at);
  }

  /** Runs to STOP and returns the top of the stack. */
  run(): unknown {
    for (;;) {
      this.at = this.pos;
      const op = this.u8();
      if (op === 0x2e) return this.pop(); // STOP
      this.step(op);
    }
  }

  private step(op: number): void {
    const { stack } = this;
    switch (op) {
      case 0x80: // PROTO
        if (this.u8() > 5) this.fail("pickle protocol above 5");
        break;
      case 0x95: // FRAME: the whole pickle is in memory already
        this.take(8);
        break;
      case 0x4b: // BININT1
        stack.push(this.u8());
        break;
      case 0x4d: // BININT2
        stack.push(this.u8() | (this.u8() << 8));
        break;
      case 0x4a: // BININT
        stack.push(this.i32());
        break;
      case 0x8a: // LONG1 (Python 2 longs)
        stack.push(this.long1());
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(this.utf8.decode(this.take(this.u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(this.utf8.decode(this.take(this.u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(this.utf8.decode(this.take(this.u64())));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
        stack.push(this.latin1.decode(this.take(this.u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(this.latin1.decode(this.take(this.u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(new PyBytes(this.take(this.u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(new PyBytes(this.take(this.u32())));
        break;
      case 0x8e: // BINBYTES8
        stack.push(new PyBytes(this.take(this.u64())));
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
        this.memo.set(this.memo.size, stack[stack.length - 1]);
        break;
      case 0x71: // BINPUT
        this.memo.set(this.u8(), stack[stack.length - 1]);
        break;
      case 0x72: // LONG_BINPUT
        this.memo.set(this.u32(), stack[stack.length - 1]);
        break;
      case 0x68: // BINGET
        stack.push(this.memoGet(this.u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(this.memoGet(this.u32()));
        break;
      case 0x63: // GLOBAL
        stack.push(this.global(this.line(), this.line()));
        break;
      case 0x93: // STACK_GLOBAL
        this.stackGlobal();
        break;
      case 0x28: // MARK
        this.marks.push(stack.length);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(stack.splice(this.popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(this.popN(1));
        break;
      case 0x86: // TUPLE2
        stack.push(this.popN(2));
        break;
      case 0x87: // TUPLE3
        stack.push(this.popN(3));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push(new PyList());
        break;
      case 0x6c: // LIST
        this.list();
        break;
      case 0x61: // APPEND
        this.appends(stack.length - 1);
        break;
      case 0x65: // APPENDS
        this.appends(this.popMark());
        break;
      case 0x52: // REDUCE
        this.reduce();
        break;
      case 0x62: // BUILD
        this.build();
        break;
      default:
        this.fail(`unsupported pickle opcode ${describeOpcode(op)}`);
    }
  }

  // --- reading -------------------------------------------------------------------------------
  private u8(): number {
    if (this.pos >= this.data.length) this.fail("the pickle ends early");
    return this.data[this.pos++]!;
  }
  private need(n: number): void {
    if (this.pos + n > this.data.length) this.fail("the pickle ends early");
  }
  private u32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getUint32(this.pos - 4, true);
  }
  private i32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getInt32(this.pos - 4, true);
  }
  private u64(): number {
    const low = this.u32();
    return this.u32() === 0 ? low : this.fail("64-bit length too large");
  }
  private take(n: number): Uint8Array {
    this.need(n);
    this.pos += n;
    return this.data.subarray(this.pos - n, this.pos);
  }
  /** A newline-terminated latin-1 line (GLOBAL's operands). */
  private line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) this.fail("GLOBAL without its two lines");
    const text = this.latin1.decode(this.data.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
  /** LONG1: little-endian two's complement of 0–6 bytes. */
  private long1(): number {
    const bytes = this.take(this.u8());
    if (bytes.length > 6) this.fail("integer too large");
    let value = 0;
    for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + bytes[i]!;
    if (bytes.length && bytes[bytes.length - 1]! & 0x80) value -= 2 ** (8 * bytes.length);
    return value;
  }

  // --- the stack -----------------------------------------------------------------------------
  private pop(): unknown {
    return this.stack.length ? this.stack.pop() : this.fail("malformed pickle (empty stack)");
  }
  private popN(n: number): unknown[] {
    if (this.stack.length < n) this.fail("malformed pickle (empty stack)");
    return this.stack.splice(-n);
  }
  private popMark(): number {
    return this.marks.pop() ?? this.fail("malformed pickle (no mark)");
  }
  private memoGet(key: number): unknown {
    if (!this.memo.has(key)) this.fail(`memo key ${key} was never stored`);
    return this.memo.get(key);
  }

  // --- objects -------------------------------------------------------------------------------
  private global(module: string, name: string): PyGlobal {
    const path = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(path)) this.fail(`unsupported pickle global '${path}'`);
    return new PyGlobal(path);
  }
  private stackGlobal(): void {
    const name = this.pop();
    const module = this.pop();
    if (typeof module !== "string" || typeof name !== "string") this.fail("STACK_GLOBAL without two strings");
    this.stack.push(this.global(module, name));
  }
  private list(): void {
    const mark = this.popMark();
    this.stack.splice(mark, 0, new PyList());
    this.appends(mark + 1);
  }
  /** Appends stack[from…] to the list just below them. */
  private appends(from: number): void {
    const { stack, pool } = this;
    const list = stack[from - 1];
    if (!(list instanceof PyList)) return this.fail("APPEND to something that is not a list");
    for (let i = from; i < stack.length; i++) {
      const value = stack[i];
      if (typeof value !== "number") {
        if (list.intLength) this.fail("a list mixing integers and other values");
        list.items.push(value);
        continue;
      }
      if (list.items.length) this.fail("a list mixing integers and other values");
      if (list.intLength === 0) list.intStart = pool.length;
      else if (list.intStart + list.intLength !== pool.length) this.fail("lists filled in an interleaved order");
      if (!(value >= -(2 ** 31) && value < 2 ** 31)) this.fail(`integer ${value} does not fit 32 bits`);
      pool.push(value);
      list.intLength++;
    }
    stack.length = from;
  }
  private reduce(): void {
    const args = this.pop();
    const callable = this.pop();
    if (!(callable instanceof PyGlobal) || !Array.isArray(args)) this.fail("REDUCE of something not callable");
    const { path } = callable;
    const first: unknown = (args as unknown[])[0];
    if (RECONSTRUCT.has(path)) this.stack.push(new PyArray());
    else if (path === "numpy.dtype" && typeof first === "string") this.stack.push(new PyDtype(first));
    else if (path === "_codecs.encode" && typeof first === "string") {
      this.stack.push(new PyBytes(Uint8Array.from(first, (c) => c.charCodeAt(0) & 0xff)));
    } else this.fail(`unsupported call of ${path}`);
  }
  private build(): void {
    const state = this.pop();
    const target = this.stack[this.stack.length - 1];
    if (!(target instanceof PyArray || target instanceof PyDtype)) this.fail("BUILD of an unsupported object");
    target.state = state;
  }
}
