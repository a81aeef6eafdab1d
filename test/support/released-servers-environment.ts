/**
 * Jest's node environment, plus one check when a test file ends: every server it started is closed and
 * every child process it spawned has exited. A listener left open keeps its port, and a later server on
 * that port (another dynalite, another fake) answers the next suite's requests in its place — the kind of
 * flake that appears only when the machine is loaded. The file then fails, naming what it left.
 */
import NodeEnvironment from 'jest-environment-node';

/** Handle kinds that hold a port or a process: listening servers and child processes. */
const HELD = new Set(['TCPServerWrap', 'PipeServerWrap', 'ProcessWrap', 'UDPWrap']);

function heldResources(): string[] {
  return process.getActiveResourcesInfo().filter((kind) => HELD.has(kind));
}

/** Counts of each kind in `after` beyond those in `before`. */
function leftOver(before: string[], after: string[]): string[] {
  const remaining = [...before];
  return after.filter((kind) => {
    const i = remaining.indexOf(kind);
    if (i === -1) return true;
    remaining.splice(i, 1);
    return false;
  });
}

export default class ReleasedServersEnvironment extends NodeEnvironment {
  private heldAtStart: string[] = [];

  override async setup(): Promise<void> {
    await super.setup();
    this.heldAtStart = heldResources();
  }

  override async teardown(): Promise<void> {
    // Closed servers release their handle on the next turn of the event loop.
    let leaked = leftOver(this.heldAtStart, heldResources());
    for (let i = 0; i < 20 && leaked.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      leaked = leftOver(this.heldAtStart, heldResources());
    }
    await super.teardown();
    if (leaked.length > 0) {
      throw new Error(`this test file left ${leaked.join(', ')} open: close every server and child process in afterEach/afterAll (try/finally inside a test)`);
    }
  }
}
