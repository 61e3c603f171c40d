'use strict';
// mcpleak's attribution hook for Node servers (probes/hooks/README.md).
//
// mcpleak adds `--require <this file>` to NODE_OPTIONS, so every node process of the
// server's tree loads it, through npx and shell wrappers; npm's and npx's own processes
// are skipped. It never writes to stdout (the MCP channel): it talks to mcpleak through
// files in $MCPLEAK_HOOK_DIR only. It announces itself (hello.PID.json), then polls
// cmd.PID.json and writes each answer under a temporary name and renames it to
// ans.PID.SEQ.json: the rename is the acknowledgement. Until "start" it only polls.
(function mcpleakHook() {
  const folder = process.env.MCPLEAK_HOOK_DIR;
  if (!folder) return;
  const entry = process.argv[1] || '';
  // npm and npx run in node too; their memory is not the server's.
  if (/(^|[\\/])(npm|npx)(-cli\.js)?$/.test(entry) || /[\\/]node_modules[\\/]npm[\\/]/.test(entry)) return;

  const fs = require('node:fs');
  const path = require('node:path');
  const state = { lastSeq: 0, session: null, gcSeries: [], observer: null, startedAt: 0 };

  function writeAtomically(name, value) {
    const final = path.join(folder, name);
    fs.writeFileSync(final + '.tmp', JSON.stringify(value));
    fs.renameSync(final + '.tmp', final);
  }

  function post(method, params) {
    return new Promise((resolve, reject) => {
      state.session.post(method, params || {}, (err, result) => (err ? reject(err) : resolve(result)));
    });
  }

  // Live bytes per allocating frame from the sampling heap profile (live samples only:
  // what the GC collected is gone from it), with the stack holding most of them.
  function sitesOf(profile, minBytes, maxSites, maxFrames) {
    const bySite = new Map();
    const stack = [];
    let inHook = 0;  // allocations made by this hook (or its GC observer) are its own cost
    const walk = (node) => {
      const f = node.callFrame;
      const file = f.url.startsWith('file://') ? decodeURIComponent(f.url.slice(7)) : f.url;
      const own = file === __filename || f.functionName === 'observerCallback';
      inHook += own;
      stack.push({
        function: f.functionName || '(anonymous)',
        file,
        line: f.lineNumber + 1,  // the profile's lines and columns count from 0
      });
      if (node.selfSize > 0 && f.url !== '' && !inHook) {
        const top = stack[stack.length - 1];
        const key = `${top.file}:${top.line}`;
        let site = bySite.get(key);
        if (!site) bySite.set(key, (site = { key, bytes: 0, best: 0, stack: null }));
        site.bytes += node.selfSize;
        if (node.selfSize > site.best) {
          site.best = node.selfSize;
          site.stack = stack.slice(-maxFrames).reverse();
        }
      }
      for (const child of node.children || []) walk(child);
      stack.pop();
      inHook -= own;
    };
    walk(profile.head);
    return [...bySite.values()]
      .filter((s) => s.bytes >= minBytes)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, maxSites)
      .map((s) => ({ key: s.key, bytes: s.bytes, stack: s.stack }));
  }

  function watchMajorGcs() {
    const { PerformanceObserver, constants } = require('node:perf_hooks');
    state.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = e.detail ? e.detail.kind : e.kind;
        if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
        if (state.gcSeries.length >= 10000) state.gcSeries.shift();
        state.gcSeries.push([Date.now() / 1000, process.memoryUsage().heapUsed]);
      }
    });
    state.observer.observe({ entryTypes: ['gc'] });
  }

  async function handle(cmd) {
    if (cmd.op === 'start') {
      const inspector = require('node:inspector');
      state.session = new inspector.Session();
      state.session.connect();
      await post('HeapProfiler.enable');
      await post('HeapProfiler.startSampling', { samplingInterval: cmd.sampling_interval || 16384 });
      watchMajorGcs();
      return { ok: true, sampling_interval: cmd.sampling_interval || 16384 };
    }
    if (cmd.op === 'checkpoint') {
      if (!state.session) return { ok: false, error: 'no start command was received' };
      const began = process.hrtime.bigint();
      await post('HeapProfiler.collectGarbage');
      const { profile } = await post('HeapProfiler.getSamplingProfile');
      const sites = sitesOf(profile, cmd.min_bytes || 1024, cmd.max_sites || 300, cmd.max_frames || 10);
      const gcs = state.gcSeries;
      state.gcSeries = [];
      const answer = { ok: true, sites, live_heap_bytes: process.memoryUsage().heapUsed, major_gcs: gcs };
      // A heap snapshot blocks the event loop and may need as much memory again as the
      // heap for a moment: taken only at the checkpoints mcpleak asks for.
      if (cmd.snapshot) {
        answer.snapshot = require('node:v8').writeHeapSnapshot(cmd.snapshot);
        answer.snapshot_bytes = fs.statSync(answer.snapshot).size;
      }
      answer.took_s = Number(process.hrtime.bigint() - began) / 1e9;
      return answer;
    }
    if (cmd.op === 'live_heap') {
      // The live-heap series: heapUsed after a full collection, once a second.
      if (!state.session) return { ok: false, error: 'no start command was received' };
      await post('HeapProfiler.collectGarbage');
      return { ok: true, live_heap_bytes: process.memoryUsage().heapUsed };
    }
    if (cmd.op === 'stop') {
      if (state.session) await post('HeapProfiler.stopSampling');
      if (state.observer) state.observer.disconnect();
      return { ok: true };
    }
    return { ok: false, error: `unknown op ${JSON.stringify(cmd.op)}` };
  }

  let busy = false;
  function poll() {
    if (busy) return;
    let cmd;
    try {
      cmd = JSON.parse(fs.readFileSync(path.join(folder, `cmd.${process.pid}.json`), 'utf8'));
    } catch (_) {
      return;
    }
    const seq = Number(cmd.seq) || 0;
    if (seq <= state.lastSeq) return;
    state.lastSeq = seq;
    busy = true;
    handle(cmd)
      .catch((e) => ({ ok: false, error: String(e && e.message ? e.message : e) }))
      .then((answer) => {
        busy = false;
        answer.seq = seq;
        answer.pid = process.pid;
        try {
          writeAtomically(`ans.${process.pid}.${seq}.json`, answer);
        } catch (_) {
          clearInterval(timer);  // the folder is gone: mcpleak has finished
        }
      });
  }

  try {
    writeAtomically(`hello.${process.pid}.json`, {
      pid: process.pid,
      ppid: process.ppid,
      runtime: 'node',
      version: process.versions.node,
      executable: process.execPath,
      argv: process.argv,
    });
  } catch (e) {
    process.stderr.write(`mcpleak hook: not started: ${e}\n`);
    return;
  }
  const timer = setInterval(poll, 100);
  timer.unref();  // the hook never keeps a server alive
})();
