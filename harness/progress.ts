// Progress lines for long runs. While counts move, a line every tick; while
// they stand still (one long case, such as a 1 000 000-test digest) the same
// line again only every `quietMs`, saying for how long nothing finished, so a
// CI log neither floods with identical lines nor falls silent.

export interface BackendTally {
  done: number;
  total: number;
  failing: number;
}

export function progressText(tallies: ReadonlyArray<readonly [string, BackendTally]>): string {
  return tallies.map(([spec, t]) => `${spec} ${t.done}/${t.total}${t.failing ? ` (${t.failing} failing)` : ''}`).join('  ');
}

export class ProgressThrottle {
  private last: string | undefined;
  private lastChange = 0;
  private lastPrint = 0;

  constructor(private readonly quietMs = 30_000) {}

  /** The line to print now, or undefined to stay quiet. */
  next(text: string, now: number): string | undefined {
    if (text !== this.last) {
      this.last = text;
      this.lastChange = now;
      this.lastPrint = now;
      return `progress: ${text}`;
    }
    if (now - this.lastPrint < this.quietMs) return undefined;
    this.lastPrint = now;
    return `progress: ${text} (nothing finished for ${Math.round((now - this.lastChange) / 1000)} s)`;
  }
}
