/**
 * A pickle reader for exactly what numpy writes for a 1-D object array whose
 * items are lists of ints (the reviews in Keras' imdb.npz). Anything else is
 * refused by name: the opcode, the global or the shape that is not that.
 */
import { PyArray, PyDtype, PyList } from "./pickle-values.js";
import { PickleError, Unpickler } from "./pickle-vm.js";
import { DataError } from "./verify.js";

/** Lists of integers stored back to back: list i is values[starts[i] .. starts[i] + lengths[i]). */
export interface RaggedInts {
  values: Int32Array;
  starts: Int32Array;
  lengths: Int32Array;
  count: number;
}

const ACCEPTED = "accepted: a numpy object array of integer lists";

/** Reads a pickled numpy object array of integer lists. `label` names the file in errors. */
export function readPickledIntLists(data: Uint8Array, label: string): RaggedInts {
  const machine = new Unpickler(data);
  try {
    return toRagged(machine.run(), machine, label);
  } catch (err) {
    if (err instanceof PickleError) {
      throw new DataError(`${label}: ${err.message} at byte ${err.offset} of its pickle; ${ACCEPTED}`);
    }
    throw err;
  }
}

/** Checks the unpickled object is a 1-D object ndarray of int lists and lays it out. */
function toRagged(result: unknown, machine: Unpickler, label: string): RaggedInts {
  const fail = (what: string): never => {
    throw new DataError(`${label}: ${what}; ${ACCEPTED}`);
  };
  if (!(result instanceof PyArray) || !Array.isArray(result.state)) return fail("the pickle is not a numpy array");
  const [, shape, dtype, , items] = result.state as unknown[];
  if (!(dtype instanceof PyDtype) || !/^O\d$/.test(dtype.descr)) {
    return fail(`the array's dtype '${dtype instanceof PyDtype ? dtype.descr : "?"}' is not an object dtype`);
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
  return { values: machine.pool.data.subarray(0, machine.pool.length), starts, lengths, count };
}
