// Progress lines for long runs. A line whenever a case finishes (at most one
// per tick); while none does (one long case, such as a 1 000 000-test digest)
// the line again only every `quietMs`, with how far that case has got and for
// how long nothing finished, so a CI log neither floods with identical lines
// nor falls silent.

import { groupDigits } from '../model/text.ts';

/** A case that reports how many of its repeats are done (Case.run's ctx.progress). */
export interface LiveCase {
  done: number;
  total: number;
}

export interface BackendTally {
  done: number;
  total: number;
  failing: number;
  /** Cases in flight that report their own progress, by id. */
  running?: ReadonlyMap<string, LiveCase>;
}

export interface ProgressLine {
  /** The case counts alone: a change here is worth a line at once. */
  key: string;
  text: string;
}

export function progressLine(tallies: ReadonlyArray<readonly [string, BackendTally]>): ProgressLine {
  const counts = tallies.map(([spec, t]) => `${spec} ${t.done}/${t.total}${t.failing ? ` (${t.failing} failing)` : ''}`);
  const text = tallies.map(([, t], i) => {
    // The furthest-from-done case that has started counting: the one the run waits for.
    const live = [...(t.running ?? [])].filter(([, c]) => c.done > 0).sort(([, a], [, b]) => b.total - b.done - (a.total - a.done))[0];
    return live ? `${counts[i]} [${live[0]}: ${groupDigits(live[1].done)} of ${groupDigits(live[1].total)}]` : counts[i];
  });
  return { key: counts.join('  '), text: text.join('  ') };
}

export class ProgressThrottle {
  private lastKey: string | undefined;
  private lastChange = 0;
  private lastPrint = 0;

  constructor(private readonly quietMs = 30_000) {}

  /** The line to print now, or undefined to stay quiet. */
  next(line: ProgressLine, now: number): string | undefined {
    if (line.key !== this.lastKey) {
      this.lastKey = line.key;
      this.lastChange = now;
      this.lastPrint = now;
      return `progress: ${line.text}`;
    }
    if (now - this.lastPrint < this.quietMs) return undefined;
    this.lastPrint = now;
    return `progress: ${line.text} (nothing finished for ${Math.round((now - this.lastChange) / 1000)} s)`;
  }
}
