// A loopback proxy in front of moto_server that adds a fixed delay to every request: moto answers in a few
// milliseconds from one Python process, AWS in tens to hundreds from a fleet. With the delay, a benchmark shows
// what dominates against AWS (round trips, overlap of calls) rather than moto's own CPU time.
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';
import { createServer, request } from 'node:http';

export async function startLatencyProxy(target, delayMs) {
  const t = new URL(target);
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () =>
      setTimeout(() => {
        const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.destroy());
        up.end(Buffer.concat(chunks));
      }, delayMs),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
