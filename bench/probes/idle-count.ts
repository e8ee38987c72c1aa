/**
 * The init script of the lab's idle checks (bench/probes/lab-idle.ts, test/browser/lab-idle.test.ts), run in a page
 * before its own scripts: window.__idle counts requestAnimationFrame callbacks, setTimeout and setInterval firings
 * and WebGPU canvas frames (getCurrentTexture calls); window.__timers holds the timers set and not yet done (a
 * setTimeout not fired nor cleared, a setInterval not cleared: a repeating timer whatever its period); window.__busy keeps each wasm pool's busy word (the `init`
 * message of src/wasm/threads.ts: workers inside a run). NOTE: on SwiftShader a presented WebGPU canvas loses the
 * device (test/browser/lab-dark.test.ts), so the context hands the 3-D view an unpresented texture of its own.
 */
export const IDLE_COUNT = `(() => {
  const c = { raf: 0, timeout: 0, interval: 0, frames: 0 };
  window.__idle = c;
  window.__busy = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (f) => raf((t) => { c.raf++; f(t); });
  const pending = new Set();
  window.__timers = pending;
  const st = window.setTimeout.bind(window);
  window.setTimeout = (f, ms, ...a) => {
    const id = st((...b) => { pending.delete(id); c.timeout++; if (typeof f === 'function') f(...b); }, ms, ...a);
    pending.add(id);
    return id;
  };
  const si = window.setInterval.bind(window);
  window.setInterval = (f, ms, ...a) => {
    const id = si((...b) => { c.interval++; if (typeof f === 'function') f(...b); }, ms, ...a);
    pending.add(id);
    return id;
  };
  // Either clears either kind (the HTML spec: one list of timers).
  const ct = window.clearTimeout.bind(window);
  const ci = window.clearInterval.bind(window);
  window.clearTimeout = (id) => { pending.delete(id); ct(id); };
  window.clearInterval = (id) => { pending.delete(id); ci(id); };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (msg, ...rest) {
    if (msg && msg.cmd === 'init' && msg.busy instanceof Int32Array) window.__busy.push(msg.busy);
    return post.call(this, msg, ...rest);
  };
  if (typeof GPUCanvasContext === 'undefined') return;
  const configured = new WeakMap();
  const configure = GPUCanvasContext.prototype.configure;
  GPUCanvasContext.prototype.configure = function (conf) { configured.set(this, conf); return configure.call(this, conf); };
  GPUCanvasContext.prototype.getCurrentTexture = function () {
    const conf = configured.get(this);
    c.frames++;
    return conf.device.createTexture({ size: { width: this.canvas.width, height: this.canvas.height }, format: conf.format, usage: GPUTextureUsage.RENDER_ATTACHMENT });
  };
})();`;
