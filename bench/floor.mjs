#!/usr/bin/env node
// The floor a scan is compared with: read the file and JSON.parse each line, nothing else — the plain way
// (a UTF-8 read stream with default 64 KiB chunks, lines cut with indexOf; not readline, which is slower).
//   node bench/floor.mjs FILE
import { createReadStream } from 'node:fs';

let lines = 0;
let carry = '';
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8' })) {
  const text = carry + chunk;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    if (nl > start) {
      JSON.parse(text.slice(start, nl));
      lines++;
    }
    start = nl + 1;
  }
  carry = text.slice(start);
}
if (carry.trim()) {
  JSON.parse(carry);
  lines++;
}
console.log(JSON.stringify({ lines }));
