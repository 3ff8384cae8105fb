// No stdio server may outlive Canopy, even when Canopy is SIGKILLed or crashes (no exit handler
// runs then). One small `sh` per gateway process — not one per server — holds the read end of a
// pipe from Canopy and a list of the servers' process groups. Canopy writes `add PGID` / `del PGID`
// lines; when Canopy dies for any reason the kernel closes the pipe, `read` hits EOF, and the shell
// kills every group still listed (TERM, then KILL after a grace period). The shell sits in its own
// session and ignores INT/HUP, so a Ctrl-C in Canopy's terminal does not take it down first.
//
// Not on Windows: there, process trees are killed on stop (`taskkill /T /F`), but a killed Canopy
// can leave children behind (a Job Object would fix that but needs native code).
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `
trap '' INT HUP
groups=''
while read -r op id; do
  case "$id" in ''|*[!0-9]*) continue ;; esac
  case "$op" in
    add) groups="$groups $id" ;;
    del) kept=''; for g in $groups; do [ "$g" = "$id" ] || kept="$kept $g"; done; groups=$kept ;;
  esac
done
[ -z "$groups" ] && exit 0
for g in $groups; do kill -TERM -$g 2>/dev/null; done
if sleep 0.1 2>/dev/null; then tick=0.1; ticks=30; else tick=1; ticks=3; fi
n=0
while [ $n -lt $ticks ]; do
  alive=''
  for g in $groups; do kill -0 -$g 2>/dev/null && alive="$alive $g"; done
  [ -z "$alive" ] && exit 0
  groups=$alive
  sleep $tick
  n=$((n + 1))
done
for g in $groups; do kill -KILL -$g 2>/dev/null; done
`;

/** Restarts of a watchdog that died under us, before giving up (bounded: it should never die). */
const MAX_RESTARTS = 5;

class OrphanWatchdog {
  private child: ChildProcess | undefined;
  private readonly groups = new Set<number>();
  private restarts = 0;

  watch(pgid: number): void {
    if (process.platform === 'win32') return;
    this.groups.add(pgid);
    this.send(`add ${pgid}\n`);
  }

  unwatch(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.send(`del ${pgid}\n`);
  }

  private send(line: string): void {
    const child = this.child ?? this.spawn();
    child?.stdin?.write(line);
  }

  private spawn(): ChildProcess | undefined {
    if (this.restarts > MAX_RESTARTS) return undefined;
    const child = spawn('/bin/sh', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.child = child;
    child.once('error', () => {}); // reported through 'exit'; a missing /bin/sh leaves us unguarded
    child.stdin!.on('error', () => {}); // EPIPE when it died; 'exit' handles that
    child.once('exit', () => {
      if (this.child !== child) return;
      this.child = undefined;
      this.restarts++;
      if (this.groups.size > 0) this.spawn()?.stdin?.write([...this.groups].map((g) => `add ${g}\n`).join(''));
    });
    // Neither the process nor its pipe keeps Canopy's event loop alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child;
  }
}

/** The one watchdog of this process. */
export const orphanWatchdog = new OrphanWatchdog();
