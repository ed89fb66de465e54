/**
 * Decoding of PostgreSQL's binary array format (`array_send(anyarray)`, sent as bytea): one value
 * per row of a long column without the driver's per-row, per-field text parsing, which costs
 * about a microsecond and a half per row in node-postgres (a year of 60 s samples of one machine
 * is 525,600 rows). Only one-dimensional arrays of the element types below.
 *
 * Layout: int32 ndim, int32 flags, int32 element type OID, per dimension int32 length and int32
 * lower bound, then per element int32 byte length (-1 = NULL) and the element in its binary
 * send format. All integers big-endian.
 */

const OID_INT2 = 21;
const OID_INT4 = 23;
const OID_INT8 = 20;
const OID_FLOAT4 = 700;
const OID_FLOAT8 = 701;
const OID_TIMESTAMPTZ = 1184;
const OID_TIMESTAMP = 1114;

/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01), as a multiple of 1000. */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * Epoch milliseconds of a binary timestamp (int64 µs since 2000-01-01, split in two 32-bit
 * halves), rounded exactly as `(extract(epoch FROM ts) * 1000)::float8` rounds: the integer
 * part and the remainder are computed exactly in doubles (every partial stays below 2^53), so
 * whole milliseconds come out exact and a fraction is added once (correctly rounded).
 */
export function pgTimestampToEpochMs(hi: number, lo: number): number {
  // µs = hi·2^32 + lo = 1000·(hi·4 294 967) + (hi·296 + lo)
  const b = hi * 296 + lo;
  const whole = Math.floor(b / 1000);
  const q = hi * 4_294_967 + PG_EPOCH_MS + whole;
  const r = b - whole * 1000;
  return r === 0 ? q : q + r / 1000;
}

function readerOf(dv: DataView, oid: number): (offset: number) => number {
  switch (oid) {
    case OID_FLOAT8:
      return (o) => dv.getFloat64(o);
    case OID_FLOAT4:
      return (o) => dv.getFloat32(o);
    case OID_INT4:
      return (o) => dv.getInt32(o);
    case OID_INT2:
      return (o) => dv.getInt16(o);
    case OID_INT8:
      return (o) => dv.getInt32(o) * 4_294_967_296 + dv.getUint32(o + 4);
    case OID_TIMESTAMPTZ:
    case OID_TIMESTAMP:
      return (o) => pgTimestampToEpochMs(dv.getInt32(o), dv.getUint32(o + 4));
    default:
      throw new Error(`binary array: element type ${oid} is not decoded`);
  }
}

/**
 * The elements of a binary one-dimensional array as numbers (NULL → null): integers, floats
 * (a real widened exactly, as `::float8` does) and timestamps as epoch milliseconds. A NULL
 * bytea (array_agg of no rows) is an empty list. Any other element type throws.
 */
export function decodeNumberArray(buf: Buffer | null): Array<number | null> {
  if (buf === null || buf.byteLength === 0) return [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const ndim = dv.getInt32(0);
  if (ndim === 0) return [];
  if (ndim !== 1) throw new Error(`binary array: ${ndim} dimensions, expected 1`);
  const oid = dv.getInt32(8);
  const n = dv.getInt32(12);
  const out: Array<number | null> = new Array(n);
  // The element type is resolved once, not per element: a year of one machine is half a million.
  const read = readerOf(dv, oid);
  let o = 20;
  for (let i = 0; i < n; i++) {
    const len = dv.getInt32(o);
    o += 4;
    if (len === -1) {
      out[i] = null;
      continue;
    }
    out[i] = read(o);
    o += len;
  }
  return out;
}

/**
 * The elements of a binary one-dimensional text array, as the strings of `known` where they
 * match byte for byte (no string is built for them: a year of machine states is half a million
 * elements drawn from a handful of values), else decoded as UTF-8. NULL → null. Candidates are
 * found by length and first and last byte, then compared in full (a loop over a few bytes is far
 * cheaper here than Buffer.compare's native call).
 */
export function decodeTextArray(buf: Buffer | null, known: readonly string[]): Array<string | null> {
  if (buf === null || buf.byteLength === 0) return [];
  const ndim = buf.readInt32BE(0);
  if (ndim === 0) return [];
  if (ndim !== 1) throw new Error(`binary array: ${ndim} dimensions, expected 1`);
  const oid = buf.readInt32BE(8);
  if (oid !== 25 && oid !== 1043) throw new Error(`binary array: element type ${oid} is not text`);
  const candidates = new Map<number, Array<{ bytes: Buffer; value: string }>>();
  for (const value of known) {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.byteLength === 0) continue;
    const key = bytes.byteLength * 65_536 + bytes[0]! * 256 + bytes[bytes.byteLength - 1]!;
    candidates.set(key, [...(candidates.get(key) ?? []), { bytes, value }]);
  }
  const n = buf.readInt32BE(12);
  const out: Array<string | null> = new Array(n);
  let o = 20;
  for (let i = 0; i < n; i++) {
    const len = buf.readInt32BE(o);
    o += 4;
    if (len === -1) {
      out[i] = null;
      continue;
    }
    let found: string | undefined;
    const list = len > 0 ? candidates.get(len * 65_536 + buf[o]! * 256 + buf[o + len - 1]!) : undefined;
    if (list) {
      for (const c of list) {
        let same = true;
        for (let j = 1; j < len - 1 && same; j++) same = c.bytes[j] === buf[o + j];
        if (same) {
          found = c.value;
          break;
        }
      }
    }
    out[i] = found ?? buf.toString('utf8', o, o + len);
    o += len;
  }
  return out;
}
