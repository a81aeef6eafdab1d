/**
 * moto in server mode (`python3 -m moto.server`): Secrets Manager, SNS, SQS and EventBridge for the
 * deployed-stack harness, on a free port of 127.0.0.1, stopped by the test that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';

export interface MotoServer { url: string; stop(): Promise<void> }

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `python3 -m moto.server` serves each request on its own thread, and moto's DynamoDB holds no lock: two
 * concurrent UpdateItems on one item can both read the old value (a lost `ADD`, a condition checked
 * against a value another thread is replacing). DynamoDB applies each item write atomically, so a test of
 * our concurrency guarantees on moto must get the same: this serves moto's app one request at a time.
 */
const ONE_REQUEST_AT_A_TIME = [
  'import sys',
  'from moto.server import DomainDispatcherApplication, create_backend_app',
  'from werkzeug.serving import run_simple',
  'run_simple("127.0.0.1", int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)',
].join('\n');

export interface MotoOptions {
  /** How long to wait until it answers: a loaded machine imports moto slowly. */
  readyTimeoutMs?: number;
  /** Serve one request at a time (atomic item writes, as DynamoDB's): for moto standing in for DynamoDB. */
  oneRequestAtATime?: boolean;
}

/** Starts moto on a free port of 127.0.0.1 and waits until it answers. */
export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = options.oneRequestAtATime ? ['-c', ONE_REQUEST_AT_A_TIME, String(port)] : ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)];
    const child: ChildProcess = spawn('python3', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    };
    const deadline = Date.now() + readyTimeoutMs;
    let ready = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const res = await fetch(`${url}/moto-api/`);
        if (res.ok) { ready = true; break; }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (ready) return { url, stop };
    await stop();
    // The port may have been taken between freePort() and moto's bind: try another one, once.
    if (attempt >= 1) throw new Error(`moto server did not start: ${stderr}`);
  }
}
