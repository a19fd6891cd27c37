import { describe, expect, it } from 'vitest';
import { ProgressThrottle, progressText } from '../harness/progress.ts';

describe('progress lines', () => {
  it('name each backend with done/total, and failing cases only when there are some', () => {
    expect(
      progressText([
        ['noble', { done: 10, total: 40, failing: 0 }],
        ['liboqs', { done: 3, total: 40, failing: 2 }],
      ]),
    ).toBe('noble 10/40  liboqs 3/40 (2 failing)');
  });

  it('print every change, and an unchanged line only every 30 s, saying how long nothing finished', () => {
    const t = new ProgressThrottle(30_000);
    expect(t.next('rust 1/3', 0)).toBe('progress: rust 1/3');
    expect(t.next('rust 2/3', 2_000)).toBe('progress: rust 2/3');
    for (let now = 4_000; now < 32_000; now += 2_000) expect(t.next('rust 2/3', now)).toBeUndefined();
    expect(t.next('rust 2/3', 32_000)).toBe('progress: rust 2/3 (nothing finished for 30 s)');
    expect(t.next('rust 2/3', 34_000)).toBeUndefined();
    expect(t.next('rust 2/3', 62_000)).toBe('progress: rust 2/3 (nothing finished for 60 s)');
    expect(t.next('rust 3/3', 64_000)).toBe('progress: rust 3/3');
  });
});
