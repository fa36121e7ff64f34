#!/usr/bin/env node
// tagaudit's own inventory reader with nothing behind it: what reading + parsing + building Resources costs.
//   node bench/reader-floor.mjs FILE  (needs `npm run build`)
import { readInventoryBatches } from '../dist/inventory/read-inventory.js';

let n = 0;
for await (const batch of readInventoryBatches(process.argv[2], { onError: () => {} })) n += batch.length;
console.log(JSON.stringify({ resources: n }));
