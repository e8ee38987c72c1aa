// The page side of bench/probes/webgpu-sweep.ts: the body of an async function of (name, arg), one phase each, its
// result returned to Node. window.__gpu: the counts of ./webgpu-sweep-count.js.
const { Model } = await import('/src/model.ts');
const { WebGpuBackend } = await import('/src/webgpu/backend.ts');
const { mulberry32 } = await import('/src/init.ts');
const G = window.__gpu;
const W = (window.__sw ??= { bits: {}, params: {} });
const snap = () => ({ ...G });
const delta = (a, b) => Object.fromEntries(Object.keys(b).filter((k) => b[k] !== a[k]).map((k) => [k, b[k] - a[k]]));
if (!W.data) {
  const rand = mulberry32(7);
  const proj = Array.from({ length: 10 }, () => Array.from({ length: 64 }, () => 2 * rand() - 1));
  const x = Array.from({ length: 1000 }, () => Array.from({ length: 64 }, () => 2 * rand() - 1));
  const y = x.map((r) => { const s = proj.map((p) => p.reduce((t, v, j) => t + v * r[j], 0)); const c = s.indexOf(Math.max(...s)); return Array.from({ length: 10 }, (_, j) => (j === c ? 1 : 0)); });
  W.data = { x, y };
}
const { x, y } = W.data;
const spec = (seed) => ({ inputs: 64, layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed } });
const fitOpts = (name, lr, seed, extra = {}) => ({ x, y, epochs: 3, batchSize: 50, shuffle: { seed }, optimizer: { name, lr }, ...extra });
const bits = (p) => { let h = 0x811c9dc5; for (const a of [...p.W, ...p.b]) for (const u of new Uint32Array(a.buffer, a.byteOffset, a.length)) { h = Math.imul(h ^ u, 16777619) >>> 0; } return h.toString(16); };
const relDiff = (p, q) => { let worst = 0; [...p.W, ...p.b].forEach((a, i) => a.forEach((v, k) => { const w = [...q.W, ...q.b][i][k]; worst = Math.max(worst, Math.abs(v - w) / Math.max(1, Math.abs(w))); })); return worst; };
const configs = [];
for (const name of ['sgd', 'adam']) for (const lr of [1e-2, 0.1]) for (const seed of [1, 2]) configs.push({ name, lr, seed, key: `${name} lr ${lr} seed ${seed}` });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const collect = async () => { for (let k = 0; k < 6; k++) { gc(); await sleep(200); } };
const errOf = (e) => ({ name: e?.name, code: e?.code, field: e?.field, message: String(e?.message).slice(0, 160) });

if (name === 'sweep') {
  const rows = [];
  for (const c of configs) {
    const t = performance.now();
    const s0 = snap();
    const m = await Model.create(spec(c.seed), { backend: 'webgpu' });
    const s1 = snap();
    const hist = await m.fit(fitOpts(c.name, c.lr, c.seed));
    const s2 = snap();
    const p = await m.getParams();
    W.bits[c.key] = bits(p);
    m.dispose();
    await sleep(50);
    const s3 = snap();
    const cpu = await Model.create(spec(c.seed), { backend: 'cpu' });
    await cpu.fit(fitOpts(c.name, c.lr, c.seed));
    const cp = await cpu.getParams();
    cpu.dispose();
    rows.push({ key: c.key, ms: Math.round(performance.now() - t), loss: hist.map((h) => +h.loss.toFixed(4)), acc: hist.at(-1).accuracy,
      create: delta(s0, s1), fit: delta(s1, s2), afterDispose: { live: s3.live, liveBytes: s3.liveBytes }, disposeDelta: delta(s2, s3),
      bits: W.bits[c.key], relDiffVsCpu: relDiff(p, cp), steps: 3 * 20, fitRel: 5e-6 * 60 });
  }
  return rows;
}
if (name === 'repro') {
  const out = [];
  for (const c of [configs[1], configs[3], configs[4], configs[7]]) {
    const m = await Model.create(spec(c.seed), { backend: 'webgpu' });
    await m.fit(fitOpts(c.name, c.lr, c.seed));
    const b = bits(await m.getParams());
    m.dispose();
    out.push({ key: c.key, first: W.bits[c.key], again: b, same: b === W.bits[c.key] });
  }
  return out;
}
if (name === 'isolation') {
  const out = {};
  const bad = [
    ['lr NaN', { optimizer: { name: 'adam', lr: NaN } }],
    ['batchSize 0', { batchSize: 0 }],
    ['beta1 1', { optimizer: { name: 'adam', lr: 0.01, beta1: 1 } }],
    ['optimizer adamm', { optimizer: { name: 'adamm', lr: 0.01 } }],
    ['epochs 1.5', { epochs: 1.5 }],
    ['lr -0.1', { optimizer: { name: 'sgd', lr: -0.1 } }],
  ];
  const c = configs[5];
  const m = await Model.create(spec(c.seed), { backend: 'webgpu' });
  for (const [label, o] of bad) {
    const s0 = snap();
    try { await m.fit({ ...fitOpts(c.name, c.lr, c.seed), ...o }); out[label] = 'resolved'; } catch (e) { out[label] = { ...errOf(e), gpuWork: delta(s0, snap()) }; }
  }
  // bad spec at create: before any adapter / device?
  {
    const s0 = snap();
    try { await Model.create({ ...spec(1), layers: [{ units: 0, activation: 'relu' }, { units: 10, activation: 'softmax' }] }, { backend: 'webgpu' }); out['create units 0'] = 'resolved'; } catch (e) { out['create units 0'] = { ...errOf(e), gpuWork: delta(s0, snap()) }; }
  }
  await m.fit(fitOpts(c.name, c.lr, c.seed));
  const b = bits(await m.getParams());
  m.dispose();
  out.afterBad = { key: c.key, bits: b, sweep: W.bits[c.key], same: b === W.bits[c.key] };
  const n = await Model.create(spec(configs[6].seed), { backend: 'webgpu' });
  await n.fit(fitOpts(configs[6].name, configs[6].lr, configs[6].seed));
  const nb = bits(await n.getParams());
  n.dispose();
  out.nextModel = { key: configs[6].key, same: nb === W.bits[configs[6].key] };
  return out;
}
if (name === 'shared') {
  const s0 = snap();
  const gpu = await WebGpuBackend.create();
  const out = [];
  for (const c of configs.slice(0, 4)) {
    const m = await Model.create(spec(c.seed), { shared: gpu });
    await m.fit(fitOpts(c.name, c.lr, c.seed));
    const b = bits(await m.getParams());
    m.dispose();
    out.push({ key: c.key, same: b === W.bits[c.key], live: G.live });
  }
  gpu.dispose();
  await sleep(50);
  return { models: out, work: delta(s0, snap()) };
}
if (name === 'gc') {
  const s0 = snap();
  await collect();
  await sleep(2000);
  await collect();
  return { gcDelta: delta(s0, snap()), now: snap() };
}
if (name === 'big' || name === 'bigdrop') {
  if (!W.big) { const rand = mulberry32(3); const n = 8000; const data = new Float32Array(n * 784); for (let k = 0; k < data.length; k++) data[k] = rand(); const yd = new Float32Array(n * 10); for (let c = 0; c < n; c++) yd[c * 10 + (c % 10)] = 1; W.big = { x: { examples: n, data }, y: { examples: n, data: yd } }; }
  const s0 = snap();
  for (let k = 0; k < 5; k++) {
    const m = await Model.create({ inputs: 784, layers: [{ units: 256, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: k } }, { backend: 'webgpu' });
    await m.fit({ ...W.big, epochs: 1, batchSize: 1000, optimizer: { name: 'adam', lr: 0.01 } });
    await m.getParams();
    if (name === 'big') m.dispose();
  }
  await sleep(200);
  return { delta: delta(s0, snap()), live: G.live, liveMiB: G.liveBytes / 2 ** 20, gpuRssBefore: arg.gpuRss };
}
if (name === 'abort2') {
  const out = {};
  for (const backend of ['webgpu', 'cpu']) {
    const c = configs[2];
    const m = await Model.create(spec(c.seed), { backend });
    const ac = new AbortController();
    let calls = 0;
    let r;
    try { await m.fit(fitOpts(c.name, c.lr, c.seed, { signal: ac.signal, onBatch: (b) => { if (++calls === 3) { W.at = b; ac.abort(new Error('stop here')); } } })); r = 'resolved'; } catch (e) { r = errOf(e); }
    const p = await m.getParams();
    out[backend] = { rejected: r, at: W.at, epochs: m.epochs, p };
    let cont;
    try { const h = await m.fit(fitOpts(c.name, c.lr, c.seed, { epochs: 1 })); cont = { ok: true, loss: h.map((e) => e.loss), epochs: m.epochs }; } catch (e) { cont = errOf(e); }
    out[backend].continued = cont;
    out[backend].after = await m.getParams();
    m.dispose();
  }
  const res = { webgpu: { ...out.webgpu, p: undefined, after: undefined }, cpu: { ...out.cpu, p: undefined, after: undefined },
    relDiffStopped: relDiff(out.webgpu.p, out.cpu.p), relDiffContinued: relDiff(out.webgpu.after, out.cpu.after), fitRel36: 5e-6 * 36, fitRel56: 5e-6 * 56 };
  // a timed abort mid-fit
  const m = await Model.create(spec(1), { backend: 'webgpu' });
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('timer')), 150);
  try { await m.fit(fitOpts('adam', 0.01, 1, { signal: ac.signal, epochs: 50 })); res.timed = 'resolved'; } catch (e) { res.timed = errOf(e); }
  res.timedEpochs = m.epochs;
  const h = await m.fit(fitOpts('adam', 0.01, 1, { epochs: 1 }));
  res.timedThenFit = h.map((e) => e.loss);
  m.dispose();
  await sleep(50);
  res.liveAfter = G.live;
  return res;
}

if (name === 'timing') {
  const own = [], shared = [];
  const sh = await WebGpuBackend.create();
  for (const round of [0, 1]) for (const c of configs) {
    const useShared = round === 1;
    const t = performance.now();
    const m = await Model.create(spec(c.seed), useShared ? { shared: sh } : { backend: 'webgpu' });
    const t1 = performance.now();
    await m.fit(fitOpts(c.name, c.lr, c.seed));
    const t2 = performance.now();
    const same = bits(await m.getParams()) === W.bits[c.key];
    m.dispose();
    (useShared ? shared : own).push({ key: c.key, createMs: Math.round(t1 - t), fitMs: Math.round(t2 - t1), same });
  }
  sh.dispose();
  const sum = (a) => a.reduce((s, r) => s + r.createMs + r.fitMs, 0);
  return { own, shared, ownTotalMs: sum(own), sharedTotalMs: sum(shared) };
}

if (name === 'sharediso') {
  const sh = await WebGpuBackend.create();
  const out = {};
  const a = await Model.create(spec(configs[5].seed), { shared: sh });
  const b = await Model.create(spec(configs[6].seed), { shared: sh });
  const s0 = snap();
  const bad = [{ optimizer: { name: 'adam', lr: NaN } }, { batchSize: 0 }, { optimizer: { name: 'adam', lr: 0.01, beta1: 1 } }, { epochs: 0 }, { x: x.slice(0, 10), y }];
  out.bad = [];
  for (const o of bad) { try { await a.fit({ ...fitOpts('adam', 0.01, 2), ...o }); out.bad.push('resolved'); } catch (e) { out.bad.push(errOf(e).field ?? errOf(e).name); } }
  out.badWork = delta(s0, snap());
  await b.fit(fitOpts(configs[6].name, configs[6].lr, configs[6].seed));
  out.bSame = bits(await b.getParams()) === W.bits[configs[6].key];
  await a.fit(fitOpts(configs[5].name, configs[5].lr, configs[5].seed));
  out.aSame = bits(await a.getParams()) === W.bits[configs[5].key];
  a.dispose(); b.dispose();
  // concurrent fits on one shared backend
  const ms = await Promise.all(configs.map((c) => Model.create(spec(c.seed), { shared: sh })));
  const t = performance.now();
  await Promise.all(ms.map((m, i) => m.fit(fitOpts(configs[i].name, configs[i].lr, configs[i].seed))));
  out.concurrentMs = Math.round(performance.now() - t);
  out.concurrentSame = [];
  for (let i = 0; i < ms.length; i++) { out.concurrentSame.push(bits(await ms[i].getParams()) === W.bits[configs[i].key]); ms[i].dispose(); }
  // concurrent fits, each on its own device
  const os = await Promise.all(configs.map((c) => Model.create(spec(c.seed), { backend: 'webgpu' })));
  const t2 = performance.now();
  await Promise.all(os.map((m, i) => m.fit(fitOpts(configs[i].name, configs[i].lr, configs[i].seed))));
  out.concurrentOwnMs = Math.round(performance.now() - t2);
  out.concurrentOwnSame = [];
  for (let i = 0; i < os.length; i++) { out.concurrentOwnSame.push(bits(await os[i].getParams()) === W.bits[configs[i].key]); os[i].dispose(); }
  sh.dispose();
  await sleep(50);
  out.live = G.live;
  return out;
}
return 'unknown phase';
