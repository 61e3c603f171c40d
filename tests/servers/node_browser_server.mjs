// A Node MCP server (stdio, newline-delimited JSON-RPC, no dependencies) that drives a
// headless Chromium the way browser-automation servers do: it launches the browser at
// start, detached in its own process group (as puppeteer and playwright launch it), and
// offers a `page` tool. It is the orphan case reported against such servers: when the
// client closes stdin the server exits, and the browser tree keeps running.
//
//   node node_browser_server.mjs --profile-root DIR [--close-browser-on-exit] [--sites N]
//
// --close-browser-on-exit is the fix: on stdin close the server ends the browser's
// process group and waits for it before exiting.
// --sites N makes the tree as wide as a browser with a few pages open: the browser loads
// a page from this server (loopback only) holding N iframes from N other loopback
// addresses (127.0.0.2, ...), each a site of its own and so a renderer process of its own.
// CHROMIUM names the browser (default: chromium, Debian's package).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import readline from 'node:readline';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const closeBrowser = process.argv.includes('--close-browser-on-exit');
const profile = mkdtempSync(join(arg('--profile-root') ?? '/tmp', 'mcpleak-browser-'));

// The page for --sites: served on 127.0.0.1 and, for its iframes, on 127.0.0.2 ... on the
// same port. Resolves to the URL the browser opens.
const sitesPage = async (sites) => {
  const listen = (host, port) => new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      if (req.url !== '/') return res.end(`<p>${host}</p>`);
      const frames = Array.from({ length: sites }, (_, i) => `<iframe src="http://127.0.0.${i + 2}:${port}/leaf"></iframe>`);
      res.end(`<html><body>${frames.join('')}</body></html>`);
    });
    server.on('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
    server.unref();
  });
  const port = await listen('127.0.0.1', 0);
  for (let i = 0; i < sites; i += 1) await listen(`127.0.0.${i + 2}`, port);
  return `http://127.0.0.1:${port}/`;
};
const sites = Number(arg('--sites') ?? 0);
const url = sites > 0 ? await sitesPage(sites) : 'about:blank';

const browser = spawn(process.env.CHROMIUM ?? 'chromium',
  ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
    '--disable-extensions', `--user-data-dir=${profile}`, '--remote-debugging-port=0', url],
  { detached: true, stdio: 'ignore' });
browser.unref();
browser.on('error', (e) => process.stderr.write(`browser: ${e.message}\n`));
// A browser that dies while the server runs leaves nothing to orphan: server.log says so.
browser.on('exit', (code, signal) => process.stderr.write(`browser pid ${browser.pid} exited: ${signal ?? code}\n`));

let pages = 0;
const answer = (id, result, error) => {
  process.stdout.write(JSON.stringify(error ? { jsonrpc: '2.0', id, error } : { jsonrpc: '2.0', id, result }) + '\n');
};

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim() === '') return;
  const request = JSON.parse(line);
  if (request.id === undefined) return;
  switch (request.method) {
    case 'initialize':
      return answer(request.id, {
        protocolVersion: request.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'node-browser-server', version: '1' },
      });
    case 'tools/list':
      return answer(request.id, { tools: [{ name: 'page', inputSchema: { type: 'object' } }] });
    case 'tools/call':
      pages += 1;
      return answer(request.id, { content: [{ type: 'text', text: `page ${pages} (browser pid ${browser.pid})` }] });
    case 'ping':
      return answer(request.id, {});
    default:
      return answer(request.id, undefined, { code: -32601, message: 'method not found' });
  }
});

rl.on('close', () => {
  if (!closeBrowser) process.exit(0);  // the bug: the browser's group is left running
  try {
    process.kill(-browser.pid, 'SIGTERM');
  } catch {
    process.exit(0);
  }
  const done = () => {
    rmSync(profile, { recursive: true, force: true });
    process.exit(0);
  };
  browser.once('exit', done);
  setTimeout(() => {
    try { process.kill(-browser.pid, 'SIGKILL'); } catch { /* gone */ }
    done();
  }, 5000).unref();
});
