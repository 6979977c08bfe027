// The ONNX Runtime side of bench/ort/compare.sh (ORT_DIR: the folder where
// `npm install --ignore-scripts onnxruntime-node@1.30.0` ran).
//
//   node bench.js MODEL.onnx BATCH THREADS SHAPE SECONDS   time sess.run; SHAPE without the batch, comma-separated
//   node bench.js --run MODEL.onnx IN.npy OUT.npy          one run on a float32 .npy, output to OUT.npy
//
// Timing prints one JSON line: p50_us, p90_us, samples_per_s (batch / p50), calls.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = path.resolve((process.env.ORT_DIR || '.') + '/node_modules/onnxruntime-node');
const ort = require(dir);

function readNpy(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(file + ': not a .npy file');
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const off = major === 1 ? 10 : 12;
  const header = b.toString('latin1', off, off + hlen);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) throw new Error(file + ': want C-order <f4');
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(',').filter(s => s.trim()).map(Number);
  const data = new Float32Array(b.buffer.slice(b.byteOffset + off + hlen, b.byteOffset + b.length));
  return {shape, data};
}

function writeNpy(file, shape, data) {
  let h = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + h.length + 1) % 64) h += ' ';
  h += '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(h.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(h, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// ORT_SPIN=0 turns off the intra-op pool's spin-waiting (ORT's default is to
// spin), which helps ORT on a shared, oversubscribed machine.
const options = threads => ({intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
  extra: {session: {intra_op: {allow_spinning: process.env.ORT_SPIN === '0' ? '0' : '1'}}}});

(async () => {
  const args = process.argv.slice(2);
  if (args[0] === '--run') {
    const [model, inFile, outFile] = args.slice(1);
    const sess = await ort.InferenceSession.create(model, options(1));
    const x = readNpy(inFile);
    const out = await sess.run({data: new ort.Tensor('float32', x.data, x.shape)});
    const y = out[sess.outputNames[0]];
    writeNpy(outFile, y.dims, y.data);
    return;
  }
  const [model, batch, threads, shape, secs] = args;
  const B = +batch, T = +threads, dims = [B, ...shape.split(',').map(Number)];
  const sess = await ort.InferenceSession.create(model, options(T));
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.random();
  const feeds = {data: new ort.Tensor('float32', data, dims)};
  const warm = Date.now() + 200;
  for (let i = 0; i < 5 || Date.now() < warm; i++) await sess.run(feeds);
  const lat = [];
  const end = Date.now() + 1000 * (+secs || 1);
  while (Date.now() < end || lat.length < 5) {
    const t0 = process.hrtime.bigint();
    await sess.run(feeds);
    lat.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  lat.sort((a, b) => a - b);
  const p50 = lat[Math.floor((lat.length - 1) / 2)], p90 = lat[Math.floor((lat.length - 1) * 0.9)];
  const version = require(path.join(dir, 'package.json')).version;
  console.log(JSON.stringify({engine: 'onnxruntime-node ' + version, model: path.basename(model), batch: B, threads: T,
    p50_us: +p50.toFixed(1), p90_us: +p90.toFixed(1), samples_per_s: +(B * 1e6 / p50).toFixed(0), calls: lat.length}));
})().catch(e => { console.error(e.message || e); process.exit(1); });
