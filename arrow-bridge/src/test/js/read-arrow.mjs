// Prints an Arrow IPC file as JSON, read with apache-arrow (JavaScript): the schema with each
// field's metadata, and every value. Binary values print as hex; int64, -0 and non-finite floats as
// strings (JSON has no -0, NaN or 64-bit integers).
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
process.stdout.write(JSON.stringify(out));
