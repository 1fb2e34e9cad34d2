// Prints an Arrow IPC file as JSON, read with apache-arrow (JavaScript): the schema with each
// field's metadata, and every value. Binary values print as hex; int64, -0 and non-finite floats as
// strings (JSON has no -0, NaN or 64-bit integers). A column of raw blocks aligned with rows (field
// metadata lazyq.quant, see docs/FORMAT.md) is also decoded here, independently of LazyQ's own
// decoders, into "decoded": each row's float32 value as its bit pattern.
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';

const table = tableFromIPC(readFileSync(process.argv[2]));
const scalar = (x) => {
  if (typeof x === 'bigint' || (typeof x === 'number' && !Number.isFinite(x))) return String(x);
  return Object.is(x, -0) ? '-0' : x;
};
const value = (x) => {
  if (x === null || x === undefined) return null;
  if (x instanceof Uint8Array) return Buffer.from(x).toString('hex');
  if (typeof x === 'object' && typeof x.toArray === 'function') return Array.from(x.toArray(), scalar);
  return scalar(x);
};
const out = { rows: table.numRows, batches: table.batches.length, fields: [], columns: {} };
for (const f of table.schema.fields) {
  out.fields.push({ name: f.name, type: String(f.type), metadata: Object.fromEntries(f.metadata) });
  const column = table.getChild(f.name);
  const values = [];
  for (let i = 0; i < column.length; i++) values.push(value(column.get(i)));
  out.columns[f.name] = values;
}
out.decoded = {};
for (const f of table.schema.fields) {
  if (f.metadata.has('lazyq.quant')) out.decoded[f.name] = decodeRows(table.getChild(f.name), f.metadata);
}
process.stdout.write(JSON.stringify(out));

// Row r's blocks hold the values of rows r, r + 1, ... up to the next row that holds blocks.
function decodeRows(column, metadata) {
  const type = metadata.get('lazyq.quant');
  const blockSize = Number(metadata.get('lazyq.blockSize'));
  const bits = new Array(column.length).fill(null);
  let r = 0;
  while (r < column.length) {
    const bytes = column.get(r);
    let next = r + 1;
    while (next < column.length && column.get(next) === null) next++;
    if (bytes !== null) {
      const values = decode(type, Buffer.from(bytes), blockSize, next - r);
      const view = new DataView(new Float32Array(values).buffer);
      values.forEach((_, i) => { bits[r + i] = view.getUint32(4 * i, true); });
    }
    r = next;
  }
  return bits;
}

// The first n values of consecutive blocks, as docs/FORMAT.md defines each type.
function decode(type, b, blockSize, n) {
  const out = [];
  const fr = Math.fround;
  let at = 0;
  while (out.length < n) {
    const m = Math.min(blockSize, n - out.length);
    if (type === 'affine8' || type === 'affine4') {
      const min = b.readFloatLE(at), step = b.readFloatLE(at + 4);
      for (let j = 0; j < m; j++) {
        const q = type === 'affine8' ? b[at + 8 + j] : (b[at + 8 + (j >> 1)] >> (4 * (j & 1))) & 15;
        out.push(fr(min + fr(step * q)));
      }
      at += type === 'affine8' ? 72 : 40;
    } else if (type === 'error_bounded') {
      const w = b[at];
      const base = b.readFloatLE(at + 1);
      if (w === 0) {
        for (let j = 0; j < m; j++) out.push(base);
        at += 5;
      } else if (w === 32) {
        for (let j = 0; j < m; j++) out.push(b.readFloatLE(at + 1 + 4 * j));
        at += 1 + 4 * m;
      } else {
        const step = b.readFloatLE(at + 5);
        for (let j = 0; j < m; j++) {
          let q = 0;
          for (let k = 0; k < w; k++) {
            const bit = j * w + k;
            q |= ((b[at + 9 + (bit >> 3)] >> (bit & 7)) & 1) << k;
          }
          out.push(fr(base + step * q));
        }
        at += 9 + Math.ceil(m * w / 8);
      }
    } else {
      throw new Error('no decoder here for ' + type);
    }
  }
  return out;
}
