import { openDatabase } from '/work/main/src/main/engine/store/database';
import { importFile } from '/work/main/src/main/engine/data/import';
import { quietContext } from '/work/main/src/main/engine/jobs/context';
import { parquetMetadata } from '/work/main/node_modules/hyparquet/src/node.js';
import { readFileSync } from 'node:fs';
const db = openDatabase(':memory:');
const upto = Number(process.argv[2]);
for (let i = 0; i < upto; i++) await importFile(db, `/tmp/hm${i}.parquet`, { format: 'auto', name: `x${i}` }, quietContext()).catch((e) => e.message);
const b = readFileSync('/tmp/hm95.parquet');
const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
const t0 = Date.now();
try { parquetMetadata(ab); console.error('parsed?!'); } catch (e) { console.error('meta err', (e as Error).message); }
console.error('done', Date.now() - t0, 'ms');
