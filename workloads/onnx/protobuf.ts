/**
 * The few protobuf wire-format primitives needed to write an ONNX model
 * (https://protobuf.dev/programming-guides/encoding/): varints, and
 * length-delimited fields for strings, bytes and nested messages. Messages are
 * built bottom-up as arrays of byte chunks, so a 100 MB weight blob is copied
 * once, at the end.
 */
export type Chunks = Uint8Array[];

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const textEncoder = new TextEncoder();

function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

function tag(field: number, wireType: number): Uint8Array {
  return varint((field << 3) | wireType);
}

function byteLength(chunks: Chunks): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/** A message under construction. */
export class MessageWriter {
  readonly chunks: Chunks = [];

  int(field: number, value: number | bigint): this {
    this.chunks.push(tag(field, WIRE_VARINT), varint(value));
    return this;
  }

  /** Repeated integers, packed (proto3 default; accepted for proto2 `repeated int64` too). */
  packedInts(field: number, values: readonly number[]): this {
    const body = values.map((v) => varint(v));
    this.chunks.push(tag(field, WIRE_LENGTH_DELIMITED), varint(byteLength(body)), ...body);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.chunks.push(tag(field, WIRE_LENGTH_DELIMITED), varint(value.length), value);
    return this;
  }

  message(field: number, message: MessageWriter): this {
    this.chunks.push(tag(field, WIRE_LENGTH_DELIMITED), varint(byteLength(message.chunks)), ...message.chunks);
    return this;
  }

  /** The encoded message as one buffer. */
  finish(): Uint8Array {
    const out = new Uint8Array(byteLength(this.chunks));
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}
