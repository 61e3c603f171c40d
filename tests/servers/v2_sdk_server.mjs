// A test MCP server on the v2 TypeScript SDK (@modelcontextprotocol/server 2.x), which
// speaks protocol revision 2026-07-28 ("modern": server/discover, a per-request _meta
// envelope, no initialize, no sessions) and, on request, the 2025 `initialize` era too.
//
//   node v2_sdk_server.mjs [--era modern|both] [--transport stdio|http] [--port P]
//                          [--leak-kib N]
//
//   --era modern   2026-07-28 only. stdio: serveStdio(factory, {legacy: 'reject'});
//                  HTTP: createMcpHandler(factory, {legacy: 'reject'}). An `initialize`
//                  is answered with error -32022 (HTTP 400), data.supported ["2026-07-28"].
//   --era both     (default) also the 2025 handshake (initialize, 2025-11-25 and older):
//                  stdio: legacy 'serve' (the first message pins the connection's era);
//                  HTTP: legacy 'stateless' (each 2025 request served by a fresh
//                  instance, no Mcp-Session-Id; GET/DELETE answer 405).
//   --transport    stdio (default) or http: Streamable HTTP on 127.0.0.1 only, path /mcp.
//   --port P       HTTP port (default 0 = any free port). Once listening, the server
//                  prints one line `listening on http://127.0.0.1:PORT/mcp` to stderr.
//   --leak-kib N   every Snapshot call keeps N KiB (a filled Buffer, outside the V8 heap)
//                  in a module-level array, never freed; 0 (default) keeps nothing.
//
// Tools: Snapshot (one optional string argument `label`, ignored) and Diagnostics
// (text content: JSON {"retained_kib": <KiB kept so far>, "calls": <Snapshot calls>}).
// State is module-level, so it survives the per-request server instances that the
// HTTP entry (and the legacy stateless leg) build from the factory.
// stdout carries only protocol messages (stdio); everything else goes to stderr.
// Exits 0 when stdin ends (stdio) and on SIGINT/SIGTERM; 2 on bad arguments, a missing
// SDK or a port it cannot bind.
//
// Finding the SDK. ES modules ignore NODE_PATH, so this file loads the SDK by path with a
// dynamic import(). It looks for the package @modelcontextprotocol/server in this order,
// and uses the first place that has it:
//   1. $MCPLEAK_V2_SDK_DIR: a prefix folder (the one holding node_modules, e.g. the
//      repo's build/tools), a node_modules folder, or the package folder itself;
//   2. Node's CommonJS lookup from this file, which honours NODE_PATH (so
//      NODE_PATH=build/tools/node_modules works) and any node_modules above this file;
//   3. <repo>/build/tools/node_modules (this file is <repo>/tests/servers/...), where
//      `ci/setup --test` installs npm packages.
// The ESM entry points are read from the package's own "exports" map, and the SDK's own
// imports (zod, @modelcontextprotocol/core) resolve from wherever the package lives.
// Install: npm install --prefix build/tools @modelcontextprotocol/server@^2.4.0
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import http from 'node:http';

const SDK_PACKAGE = '@modelcontextprotocol/server';

function log(message) {
  process.stderr.write(`v2_sdk_server: ${message}\n`);
}

function fail(message) {
  log(message);
  process.exit(2);
}

// ---- arguments ------------------------------------------------------------------------
function parseArgs(argv) {
  const options = { era: 'both', transport: 'stdio', port: 0, leakKib: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${flag} needs a value`);
      return argv[++i];
    };
    const integer = (text, name) => {
      if (!/^\d+$/.test(text)) fail(`${name} takes a non-negative integer, not '${text}'`);
      return Number(text);
    };
    switch (flag) {
      case '--era': options.era = value(); break;
      case '--transport': options.transport = value(); break;
      case '--port': options.port = integer(value(), '--port'); break;
      case '--leak-kib': options.leakKib = integer(value(), '--leak-kib'); break;
      case '-h': case '--help':
        process.stderr.write('usage: v2_sdk_server.mjs [--era modern|both] [--transport stdio|http]'
          + ' [--port P] [--leak-kib N]\n');
        process.exit(0);
        break;
      default: fail(`unknown argument '${flag}'`);
    }
  }
  if (!['modern', 'both'].includes(options.era)) fail(`--era is modern or both, not '${options.era}'`);
  if (!['stdio', 'http'].includes(options.transport)) fail(`--transport is stdio or http, not '${options.transport}'`);
  if (options.port > 65535) fail('--port is at most 65535');
  return options;
}

// ---- locating and loading the SDK -----------------------------------------------------
function isSdkPackageDir(folder) {
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return JSON.parse(readFileSync(manifest, 'utf8')).name === SDK_PACKAGE;
  } catch {
    return false;
  }
}

function packageDirIn(folder) {
  return [join(folder, 'node_modules', SDK_PACKAGE), join(folder, SDK_PACKAGE), folder].find(isSdkPackageDir);
}

function packageDirViaRequire() {
  // require.resolve() applies the "require" condition of the exports map and honours
  // NODE_PATH; from the file it finds, walk up to the package's own folder.
  let file;
  try {
    file = createRequire(import.meta.url).resolve(SDK_PACKAGE);
  } catch {
    return undefined;
  }
  for (let folder = dirname(file); folder !== dirname(folder); folder = dirname(folder)) {
    if (isSdkPackageDir(folder)) return folder;
  }
  return undefined;
}

function locateSdk() {
  const fromEnv = process.env.MCPLEAK_V2_SDK_DIR;
  if (fromEnv) {
    const found = packageDirIn(resolve(fromEnv));
    if (!found) fail(`MCPLEAK_V2_SDK_DIR=${fromEnv} does not hold ${SDK_PACKAGE}`);
    return found;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const found = packageDirViaRequire() ?? packageDirIn(resolve(here, '..', '..', 'build', 'tools'));
  if (!found) {
    fail(`cannot find ${SDK_PACKAGE}: set MCPLEAK_V2_SDK_DIR or NODE_PATH, or run `
      + `npm install --prefix build/tools ${SDK_PACKAGE}@^2.4.0`);
  }
  return found;
}

function esmEntry(manifest, subpath) {
  const entry = manifest.exports?.[subpath];
  const target = typeof entry === 'string' ? entry : entry?.import?.default ?? entry?.import ?? entry?.default;
  if (typeof target !== 'string') fail(`${SDK_PACKAGE} exports no ESM entry for '${subpath}'`);
  return target;
}

async function loadSdk() {
  const dir = locateSdk();
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const major = Number(String(manifest.version).split('.')[0]);
  if (major < 2) fail(`${SDK_PACKAGE} ${manifest.version} at ${dir} is not 2.x`);
  const load = (subpath) => import(pathToFileURL(join(dir, esmEntry(manifest, subpath))).href);
  const [main, stdio] = await Promise.all([load('.'), load('./stdio')]);
  return { main, stdio, version: manifest.version, dir };
}

// ---- the tools and their state --------------------------------------------------------
const options = parseArgs(process.argv.slice(2));
const retained = [];          // what --leak-kib keeps, one entry per Snapshot call
let snapshotCalls = 0;
let retainedKib = 0;

function keepLeak() {
  if (options.leakKib === 0) return;
  // A Buffer outside the V8 heap, filled so that every page is touched: the footprint
  // grows by exactly N KiB per call, without the steps of V8's heap growth that made a
  // JS-array leak of the same size read as a plateau on a loaded machine.
  retained.push(Buffer.alloc(options.leakKib * 1024, 1 + (snapshotCalls % 255)));  // LEAK-SITE
  retainedKib += options.leakKib;
}

// Tool input schemas are built ONCE, not per server instance: fromJsonSchema() compiles
// the schema in the SDK's shared AJV validator, whose cache is keyed by the schema object,
// so building them inside the factory (one instance per HTTP request) would grow that
// cache on every request: a leak of the test server's own when it should be fixed.
let toolSchemas;

function buildServer(sdk, era) {
  const { McpServer, fromJsonSchema } = sdk.main;
  toolSchemas ??= {
    snapshot: fromJsonSchema({
      type: 'object',
      properties: { label: { type: 'string', description: 'ignored' } },
    }),
    diagnostics: fromJsonSchema({ type: 'object', properties: {} }),
  };
  const server = new McpServer(
    { name: 'mcpleak-v2-sdk-test-server', version: '1.0.0' },
    { capabilities: { tools: {} } },
  );
  server.registerTool('Snapshot', {
    description: 'Takes a (pretend) snapshot; keeps --leak-kib KiB per call.',
    inputSchema: toolSchemas.snapshot,
  }, async () => {
    snapshotCalls += 1;
    keepLeak();
    return { content: [{ type: 'text', text: `snapshot ${snapshotCalls} (${era})` }] };
  });
  server.registerTool('Diagnostics', {
    description: 'Reports what the server keeps: {"retained_kib": N, "calls": N}.',
    inputSchema: toolSchemas.diagnostics,
  }, async () => ({
    content: [{ type: 'text', text: JSON.stringify({ retained_kib: retainedKib, calls: snapshotCalls }) }],
  }));
  return server;
}

// ---- transports -----------------------------------------------------------------------
function serveOverStdio(sdk) {
  const handle = sdk.stdio.serveStdio(({ era }) => buildServer(sdk, era), {
    legacy: options.era === 'modern' ? 'reject' : 'serve',
    onerror: (error) => log(`stdio: ${error.message}`),
  });
  // The stdio transport closes itself when stdin ends; exit then, and on a signal.
  process.stdin.on('end', () => { void handle.close().finally(() => process.exit(0)); });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => { void handle.close().finally(() => process.exit(0)); });
  }
}

function toWebRequest(req, body, signal) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, { method: req.method, headers, body: hasBody ? body : undefined, signal });
}

async function writeWebResponse(response, res) {
  const headers = {};
  response.headers.forEach((value, name) => { headers[name] = value; });
  if (!response.body) {
    res.writeHead(response.status, { ...headers, 'content-length': '0' }).end();
    return;
  }
  res.writeHead(response.status, headers);
  const reader = response.body.getReader();
  res.on('close', () => { void reader.cancel().catch(() => {}); });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise((ok) => res.once('drain', ok));
  }
  res.end();
}

function serveOverHttp(sdk) {
  const {
    createMcpHandler, hostHeaderValidationResponse, originValidationResponse,
    localhostAllowedHostnames, localhostAllowedOrigins,
  } = sdk.main;
  const handler = createMcpHandler(({ era }) => buildServer(sdk, era), {
    legacy: options.era === 'modern' ? 'reject' : 'stateless',
    onerror: (error) => log(`http: ${error.message}`),
  });
  const httpServer = http.createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path !== '/mcp') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const abort = new AbortController();
      res.on('close', () => { if (!res.writableFinished) abort.abort(); });
      const request = toWebRequest(req, Buffer.concat(chunks), abort.signal);
      const response = hostHeaderValidationResponse(request, localhostAllowedHostnames())
        ?? originValidationResponse(request, localhostAllowedOrigins())
        ?? await handler.fetch(request);
      await writeWebResponse(response, res);
    } catch (error) {
      log(`http: ${error?.stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    }
  });
  httpServer.on('error', (error) => fail(`http: ${error.message}`));
  httpServer.listen(options.port, '127.0.0.1', () => {
    process.stderr.write(`listening on http://127.0.0.1:${httpServer.address().port}/mcp\n`);
  });
  const stop = () => {
    httpServer.close();
    httpServer.closeAllConnections?.();
    void handler.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const sdk = await loadSdk();
log(`${SDK_PACKAGE} ${sdk.version} from ${sdk.dir}; era ${options.era}, transport ${options.transport}, `
  + `leak ${options.leakKib} KiB per Snapshot`);
if (options.transport === 'stdio') serveOverStdio(sdk);
else serveOverHttp(sdk);
