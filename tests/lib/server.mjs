// server.mjs — a private `parlearn serve` for one node test file: its own data folder (so
// its own embedded PostgreSQL) and free loopback ports, as tests/lib/server.sh gives the
// shell tests. For tests whose data must not meet the shared fixture's, or whose numbers
// would change with it (the HR reports count everything in a unit tree).
//
//   const srv = await startServer();     // PARLEARN_BIN from the environment
//   srv.url, srv.data; srv.cli(args, stdin); srv.sql(query)
//   await srv.stop();                      // SIGTERM; throws if it did not exit with 0 or its
//                                          // log holds a sanitizer report; removes the folder
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function ready(url, child, log) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`parlearn serve exited early:\n${fs.readFileSync(log, 'utf8')}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`parlearn serve did not become ready:\n${fs.readFileSync(log, 'utf8')}`);
}

export async function startServer(args = []) {
  const bin = process.env.PARLEARN_BIN;
  if (!bin) throw new Error('PARLEARN_BIN must name the parlearn executable');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-node-'));
  fs.chmodSync(data, 0o711); // the embedded cluster runs as postgres when the tests run as root
  const log = path.join(data, 'server.log');
  const port = await freePort();
  let cport = await freePort();
  while (cport === port) cport = await freePort();
  const fd = fs.openSync(log, 'a');
  const child = spawn(bin, ['serve', '--data', `${data}/var`, '--port', String(port),
    '--content-port', String(cport), ...args], { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  await ready(url, child, log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    data,
    cli: (a, input) => execFileSync(bin, [...a, '--data', `${data}/var`],
      { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] }),
    sql: (q) => execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', `${data}/var/pg/run`,
      '-U', 'postgres', '-d', 'parlearn', '-c', q], { encoding: 'utf8' }).trim(),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
      const { code, signal } = await exited;
      clearTimeout(timer);
      const text = fs.readFileSync(log, 'utf8');
      fs.rmSync(data, { recursive: true, force: true });
      if (/AddressSanitizer|LeakSanitizer|runtime error:/.test(text)) {
        throw new Error(`sanitizer report in the server log:\n${text.slice(-4000)}`);
      }
      if (code !== 0) throw new Error(`parlearn serve exited with ${code ?? signal}:\n${text.slice(-2000)}`);
    },
  };
}
