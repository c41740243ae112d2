#!/usr/bin/env node
// Writes sample/access.log: a deterministic nginx/Apache combined-format access log of
// 5,200 requests with ~4% server errors, plus a few lines a real log has too: blank lines,
// notices in another format, a line with a terminal colour code. Run again to regenerate.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let seed = 20261203;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (items) => items[Math.floor(random() * items.length)];
const paths = ['/', '/index.html', '/api/orders', '/api/orders/42', '/api/users/me', '/static/app.js', '/static/app.css', '/health', '/search?q=herald', '/login', '/cart', '/api/payments'];
const agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'curl/8.5.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15', 'ELB-HealthChecker/2.0', 'Go-http-client/1.1'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const status = () => {
  const r = random();
  if (r < 0.04) return pick([500, 502, 503, 504]);
  if (r < 0.12) return pick([400, 401, 403, 404, 404, 429]);
  if (r < 0.2) return pick([301, 302, 304]);
  return pick([200, 200, 200, 201, 204]);
};
const lines = [];
let time = Date.UTC(2026, 10, 30, 8, 0, 0);
for (let i = 0; i < 5200; i += 1) {
  time += Math.floor(random() * 900);
  const d = new Date(time);
  const stamp = `${String(d.getUTCDate()).padStart(2, '0')}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
  const ip = `10.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 254)}`;
  const method = pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']);
  const s = status();
  const size = s === 204 || s === 304 ? '-' : String(Math.floor(random() * 50000));
  lines.push(`${ip} - - [${stamp}] "${method} ${pick(paths)} HTTP/1.1" ${s} ${size} "-" "${pick(agents)}"`);
  if (i % 1000 === 999) lines.push('');
  if (i % 1500 === 700) lines.push(`[${d.toISOString()}] [notice] worker process ${1000 + i} exited, respawning`);
}
lines.push('\u001b[31mERROR\u001b[0m upstream timed out while reading response header');
writeFileSync(fileURLToPath(new URL('../sample/access.log', import.meta.url)), `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} lines`);
