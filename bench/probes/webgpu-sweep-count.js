// Counts of WebGPU work in a page (bench/probes/webgpu-sweep.ts), installed before any module loads: adapters and
// devices requested, buffers made and destroyed (live count and bytes; a buffer of a destroyed device counts as
// freed), buffers and devices garbage-collected (and, of the buffers, those never destroyed), submits, writeBuffers.
(() => {
  const s = { reqAdapter: 0, reqDevice: 0, devDestroyed: 0, devCollected: 0, created: 0, destroyed: 0, live: 0, liveBytes: 0,
    bufCollected: 0, freedByDevice: 0, bufCollectedUndestroyed: 0, bytesCollectedUndestroyed: 0, submits: 0, writes: 0 };
  window.__gpu = s;
  const rec = new WeakMap();
  const devRecs = new WeakMap();
  const bufReg = new FinalizationRegistry((r) => { s.bufCollected++; if (!r.destroyed) { s.bufCollectedUndestroyed++; s.bytesCollectedUndestroyed += r.size; } });
  const devReg = new FinalizationRegistry(() => { s.devCollected++; });
  const wrap = (proto, name, f) => { const orig = proto[name]; proto[name] = function (...a) { return f.call(this, orig, a); }; };
  wrap(GPU.prototype, 'requestAdapter', function (orig, a) { s.reqAdapter++; return orig.apply(this, a); });
  wrap(GPUAdapter.prototype, 'requestDevice', function (orig, a) {
    s.reqDevice++;
    return orig.apply(this, a).then((d) => { devReg.register(d, null); return d; });
  });
  wrap(GPUDevice.prototype, 'destroy', function (orig, a) {
    s.devDestroyed++;
    for (const r of devRecs.get(this) ?? []) if (!r.destroyed) { r.destroyed = true; s.freedByDevice++; s.live--; s.liveBytes -= r.size; }
    devRecs.delete(this);
    return orig.apply(this, a);
  });
  wrap(GPUDevice.prototype, 'createBuffer', function (orig, a) {
    const b = orig.apply(this, a);
    const r = { size: a[0].size, destroyed: false };
    rec.set(b, r); bufReg.register(b, r);
    if (!devRecs.has(this)) devRecs.set(this, new Set());
    devRecs.get(this).add(r);
    s.created++; s.live++; s.liveBytes += r.size;
    return b;
  });
  wrap(GPUBuffer.prototype, 'destroy', function (orig, a) {
    const r = rec.get(this);
    if (r && !r.destroyed) { r.destroyed = true; s.destroyed++; s.live--; s.liveBytes -= r.size; }
    return orig.apply(this, a);
  });
  wrap(GPUQueue.prototype, 'submit', function (orig, a) { s.submits++; return orig.apply(this, a); });
  wrap(GPUQueue.prototype, 'writeBuffer', function (orig, a) { s.writes++; return orig.apply(this, a); });
})();
