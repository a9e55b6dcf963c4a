/**
 * Small named readers for input values. Each error names the input (or flag) as
 * the user wrote it, quotes the value and says what is accepted.
 */
export class InputError extends Error {
  override name = "InputError";
}

const LIST_SEPARATOR = /[\s,]+/;

export function readList<T extends string>(name: string, raw: string, accepted: readonly T[]): T[] {
  const values = raw.split(LIST_SEPARATOR).filter(Boolean);
  if (values.length === 0) throw new InputError(`${name} is empty; accepted: ${accepted.join(", ")}`);
  const out: T[] = [];
  for (const v of values) {
    if (!(accepted as readonly string[]).includes(v)) {
      throw new InputError(`${name}: '${v}' is not accepted; accepted: ${accepted.join(", ")}`);
    }
    if (!out.includes(v as T)) out.push(v as T);
  }
  return out;
}

export function readChoice<T extends string>(name: string, raw: string, accepted: readonly T[]): T {
  const v = raw.trim();
  if (!(accepted as readonly string[]).includes(v)) {
    throw new InputError(`${name}: '${raw}' is not accepted; accepted: ${accepted.join(", ")}`);
  }
  return v as T;
}

/** "5%" or "5" is five percent; returned as a fraction (0.05). */
export function readPercent(name: string, raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  const value = match ? Number(match[1]) : NaN;
  if (!(value > 0 && value < 1000)) {
    throw new InputError(
      `${name}: '${raw}' is not a percentage; accepted: a number above 0 and below 1000, with or without '%', such as 5%`,
    );
  }
  return value / 100;
}

export function readInteger(name: string, raw: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const v = raw.trim();
  const value = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(value >= min && value <= max)) {
    throw new InputError(`${name}: '${raw}' is not accepted; accepted: a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Strict booleans, as core.getBooleanInput takes them (YAML 1.2 core schema). */
export function readBoolean(name: string, raw: string): boolean {
  const v = raw.trim();
  if (["true", "True", "TRUE"].includes(v)) return true;
  if (["false", "False", "FALSE"].includes(v)) return false;
  throw new InputError(`${name}: '${raw}' is not a boolean; accepted: true, false`);
}

/** A non-negative decimal number, such as an accuracy tolerance in points. */
export function readNumber(name: string, raw: string, min: number, max: number): number {
  const v = raw.trim();
  const value = /^\d+(?:\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!(value >= min && value <= max)) {
    throw new InputError(`${name}: '${raw}' is not accepted; accepted: a number from ${min} to ${max}`);
  }
  return value;
}

/** "name=5%, other=8%": per-key percentages, keys from `accepted`. */
export function readPercentMap<T extends string>(
  name: string,
  raw: string,
  accepted: readonly T[],
): Partial<Record<T, number>> {
  const out: Partial<Record<T, number>> = {};
  for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
    const [key, value, extra] = item.split("=");
    if (key === undefined || value === undefined || extra !== undefined) {
      throw new InputError(
        `${name}: '${item}' is not accepted; accepted: workload=percentage pairs such as ${accepted[0] ?? "name"}=3%`,
      );
    }
    const k = readChoice(name, key, accepted);
    out[k] = readPercent(`${name} (${k})`, value);
  }
  return out;
}

/** An http(s) base URL (a mirror); returned without trailing slashes. */
export function readBaseUrl(name: string, raw: string): string {
  const v = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new InputError(
      `${name}: '${raw}' is not accepted; accepted: an http:// or https:// base URL serving the dataset files, such as https://mirror.example.com/datasets`,
    );
  }
  return v.replace(/\/+$/, "");
}
