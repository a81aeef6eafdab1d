/**
 * The functions' way out to the internet, in the harness: an HTTPS proxy (HTTPS_PROXY) that answers
 * CONNECT for the provider hosts it knows and terminates TLS with a certificate from a throwaway CA
 * (trusted by the functions through NODE_EXTRA_CA_CERTS), forwarding each request to the local fake
 * of that provider. Any other host is refused and recorded, so nothing under test reaches the internet.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EgressProxy {
  url: string;
  /** PEM file of the CA that signed the proxy's certificate. */
  caFile: string;
  /** Every request the functions made, by host. */
  requests: { host: string; method: string; path: string }[];
  /** CONNECTs to hosts without a fake (refused). */
  refused: string[];
  close(): Promise<void>;
}

/** A CA and one server certificate for `hosts`, made with the openssl CLI (elliptic-curve keys: fast). */
function makeCertificates(dir: string, hosts: string[]): { ca: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Verdict deployed-stack harness CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=harness-egress']);
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext']);
  return { ca: join(dir, 'ca.crt'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.crt'), 'utf8') };
}

/** `routes`: provider host (`api.beehiiv.com`) → the fake's base URL (`http://127.0.0.1:PORT`). */
export async function startEgressProxy(routes: Record<string, string>): Promise<EgressProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-egress-'));
  const certs = makeCertificates(dir, Object.keys(routes));
  const requests: EgressProxy['requests'] = [];
  const refused: string[] = [];

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    const base = routes[host];
    requests.push({ host, method: req.method ?? 'GET', path: req.url ?? '/' });
    if (!base) { refused.push(host); res.writeHead(502); res.end(); return; }
    const upstream = new URL(base);
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
  };

  const tls = https.createServer({ key: certs.key, cert: certs.cert }, forward);
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', () => resolve()));
  const tlsPort = (tls.address() as AddressInfo).port;

  const proxy = http.createServer(forward);
  const tunnels = new Set<net.Socket>();
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const host = String(req.url ?? '').replace(/:\d+$/, '');
    if (!routes[host]) {
      refused.push(host);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const inner = net.connect(tlsPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) inner.write(head);
      socket.pipe(inner).pipe(socket);
    });
    const drop = () => { socket.destroy(); inner.destroy(); };
    inner.on('error', drop);
    socket.on('error', drop);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));

  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    caFile: certs.ca,
    requests,
    refused,
    async close() {
      for (const t of tunnels) t.destroy();
      for (const s of [proxy, tls]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
