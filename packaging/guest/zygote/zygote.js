// Lambdesk runtime zygote for Node.js (runs inside the microVM guest).
//
// Started while the guest image is being snapshotted: node's start-up and the core modules a
// runtime loads are paid here, then it blocks reading fd 3. Each restore of the snapshot resumes
// here; the Start fields arrive on fd 3 and this process becomes the runtime, running the
// bootstrap as the main module, as `node [flags] bootstrap.js` would (the agent starts it with the
// same V8 flags).
'use strict';
const fs = require('fs');
// What Lambdesk's bootstrap loads. Kept short on purpose: it counts in Max Memory Used.
for (const name of ['net', 'url', 'util', 'path']) {
  require(name);
}

fs.writeSync(4, 'R');
fs.closeSync(4);
const chunks = [];
const buffer = Buffer.alloc(65536);
for (;;) {
  let n;
  try {
    n = fs.readSync(3, buffer, 0, buffer.length, null);
  } catch (error) {
    if (error.code === 'EAGAIN') continue;
    throw error;
  }
  if (n === 0) break;
  chunks.push(Buffer.from(buffer.subarray(0, n)));
}
fs.closeSync(3);

// Length-prefixed key/value pairs (sandbox/microvmprotocol.h encodeFields).
const data = Buffer.concat(chunks);
const argv = [];
const env = {};
let cwd = '/var/task';
let entropy = Buffer.alloc(2);
for (let pos = 0; pos < data.length;) {
  const keySize = data.readUInt32LE(pos);
  const key = data.toString('utf8', pos + 4, pos + 4 + keySize);
  pos += 4 + keySize;
  const valueSize = data.readUInt32LE(pos);
  const raw = data.subarray(pos + 4, pos + 4 + valueSize);
  const value = raw.toString('utf8');
  pos += 4 + valueSize;
  if (key === 'entropy' && raw.length >= 2) entropy = Buffer.from(raw);
  else if (key === 'argv') argv.push(value);
  else if (key === 'cwd') cwd = value;
  else if (key.startsWith('env:')) env[key.slice(4)] = value;
}
for (const key of Object.keys(process.env)) delete process.env[key];
Object.assign(process.env, env);
process.chdir(cwd);
process.argv = [process.argv[0], argv[argv.length - 1]]; // the script comes last
// Math.random's state is part of the snapshot; skip ahead by an amount from the host's fresh
// entropy so that environments restored from one snapshot do not walk in step. (OpenSSL's
// generators reseed by themselves: the snapshot's clock is at 1970 and the agent sets the real
// time before this runs, so their reseed intervals have long expired.)
const skip = entropy.readUInt16LE(0);
for (let i = 0; i < skip; ++i) Math.random();
const Module = require('module');
Module._initPaths(); // NODE_PATH is read here, not at start-up
Module.runMain();
