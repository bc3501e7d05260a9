#!/usr/bin/env node
// Bytes a region page's live updates transfer over a while, the two ways a page can follow the hub:
//   patch:   what live.js does now: the region topic's area messages patch the page, nothing is fetched;
//   refetch: what it did before: the election topic's messages, and after each one a re-fetch of the whole page
//            (throttled to one per 3 s, Brotli/gzip accepted as a browser does) for its data-refresh sections.
// Both run at once against one running portal (its demo simulator sending reports), so they see the same updates.
// WebSocket bytes are the SignalR JSON frames' payloads plus 2 bytes of frame header each (4 from 126 bytes on);
// HTTP bytes are the response's status line, headers and compressed body.
//   node infra/bench/live-weight.mjs http://127.0.0.1:5000 tashkent-city 60
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const [base = 'http://127.0.0.1:5000', region = 'tashkent-city', seconds = '60'] = process.argv.slice(2);
const separator = '\u001e';

function get(url, headers = {}) {
  return new Promise((resolve, reject) => http.get(url, { headers }, res => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', c => body += c);
    res.on('end', () => res.statusCode < 400 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`)));
  }).on('error', reject));
}

async function electionFromPage() {
  const html = await get(`${base}/regions/${region}`);
  return /data-live-topic="region:([^":]+):/.exec(html)[1];
}

// The page's wire size: status line and headers as sent, the body as it came (compressed).
function fetchPage(path) {
  return new Promise((resolve, reject) => http.get(`${base}${path}`, { headers: { 'Accept': 'text/html', 'Accept-Encoding': 'br, gzip' } }, res => {
    let bytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
    for (let i = 0; i < res.rawHeaders.length; i += 2) bytes += res.rawHeaders[i].length + 2 + res.rawHeaders[i + 1].length + 2;
    res.on('data', c => bytes += c.length);
    res.on('end', () => resolve(bytes));
  }).on('error', reject));
}

function follow(name, topics, onMessage) {
  const result = { name, frames: 0, wsBytes: 0, messages: 0, fetches: 0, httpBytes: 0 };
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/hubs/live');
  ws.on('open', () => {
    ws.send(`{"protocol":"json","version":1}${separator}`);
    topics.forEach((t, i) => ws.send(JSON.stringify({ type: 1, target: 'Subscribe', arguments: [t], invocationId: String(i) }) + separator));
  });
  ws.on('message', data => {
    result.frames++;
    result.wsBytes += data.length + (data.length < 126 ? 2 : 4);
    for (const text of data.toString().split(separator).filter(Boolean)) {
      const m = JSON.parse(text);
      if (m.type === 6) ws.send(`{"type":6}${separator}`); // ping, answered as the browser client does
      if (m.type === 1) { result.messages++; onMessage?.(m, result); }
    }
  });
  result.close = () => ws.close();
  return result;
}

const electionId = await electionFromPage();
const path = `/regions/${region}`;
const patch = follow('patch', [`region:${electionId}:${region}`]);
let timer = null, last = 0;
const refetch = follow('refetch', [`election:${electionId}`], (m, r) => {
  if (timer || !['turnout', 'results'].includes(m.target)) return;
  timer = setTimeout(async () => {
    try { r.httpBytes += await fetchPage(path); r.fetches++; } finally { last = Date.now(); timer = null; }
  }, Math.max(0, 3000 - (Date.now() - last)));
});

await new Promise(r => setTimeout(r, Number(seconds) * 1000));
for (const r of [patch, refetch]) {
  r.close();
  const total = r.wsBytes + r.httpBytes;
  console.log(`${r.name}: ${(total / 1024).toFixed(1)} KB in ${seconds} s = ${r.wsBytes} B WebSocket (${r.messages} messages) + ${r.httpBytes} B HTTP (${r.fetches} page fetches)` +
    `; ${(total / Math.max(1, r.messages)).toFixed(0)} B per message`);
}
clearTimeout(timer);
process.exit(0);
