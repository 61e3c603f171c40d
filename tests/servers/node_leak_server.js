'use strict';
// A plain-node MCP server (stdio, newline-delimited JSON-RPC) for the attribution tests.
//   leak  pushes every request, with a 16 KiB array, into a global array (the line
//         marked LEAK-SITE, in function rememberRequest); the tests find it by its marker.
//   lru   keeps the last 64 only (a control).
//   echo  keeps nothing.
// With MCPLEAK_TEST_PROBE set, it appends "PID hooked|plain" to that file at start: whether
// it was started with mcpleak's attribution hook folder in its environment.
const readline = require('node:readline');

if (process.env.MCPLEAK_TEST_PROBE) {
  require('node:fs').appendFileSync(process.env.MCPLEAK_TEST_PROBE,
    `${process.pid} ${process.env.MCPLEAK_HOOK_DIR ? 'hooked' : 'plain'}\n`);
}

const seenRequests = [];
const recent = new Map();

function rememberRequest(request) {
  seenRequests.push({ request, payload: new Array(2048).fill(request.id) });  // LEAK-SITE
  return seenRequests.length;
}

function cacheRecent(request) {
  recent.set(request.id, new Array(2048).fill(request.id));
  if (recent.size > 64) recent.delete(recent.keys().next().value);
  return recent.size;
}

const tools = {
  leak: (request) => `kept ${rememberRequest(request)}`,
  lru: (request) => `cached ${cacheRecent(request)}`,
  echo: (request) => JSON.stringify(request.params.arguments || {}),
};

function answer(request, result, error) {
  const message = { jsonrpc: '2.0', id: request.id };
  if (error) message.error = error;
  else message.result = result;
  process.stdout.write(JSON.stringify(message) + '\n');
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  if (request.id === undefined) return;  // a notification
  switch (request.method) {
    case 'initialize':
      return answer(request, {
        protocolVersion: request.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'node-leak-server', version: '1' },
      });
    case 'tools/list':
      return answer(request, { tools: Object.keys(tools).map((name) => ({ name, inputSchema: { type: 'object' } })) });
    case 'tools/call': {
      const tool = tools[request.params.name];
      if (!tool) return answer(request, null, { code: -32602, message: 'no such tool' });
      return answer(request, { content: [{ type: 'text', text: tool(request) }] });
    }
    case 'ping':
      return answer(request, {});
    default:
      return answer(request, null, { code: -32601, message: 'method not found' });
  }
});
