import { describe, expect, it } from 'vitest';
import { ProgressThrottle, progressLine, type LiveCase } from '../harness/progress.ts';
import { accumulatedCases } from '../harness/suites/accumulated.ts';
import { createNobleBackend } from '../backends/noble.ts';

describe('progress lines', () => {
  it('name each backend with done/total, and failing cases only when there are some', () => {
    const line = progressLine([
      ['noble', { done: 10, total: 40, failing: 0 }],
      ['liboqs', { done: 3, total: 40, failing: 2 }],
    ]);
    expect(line).toEqual({ key: 'noble 10/40  liboqs 3/40 (2 failing)', text: 'noble 10/40  liboqs 3/40 (2 failing)' });
  });

  it('show how far the case the run waits for has got, in the text only', () => {
    const running = new Map<string, LiveCase>([
      ['acvp/x', { done: 0, total: 1 }],
      ['accumulated/ML-KEM-accumulated-10000/ML-KEM-512', { done: 9_990, total: 10_000 }],
      ['accumulated/ML-KEM-accumulated-1000000/ML-KEM-512', { done: 412_331, total: 1_000_000 }],
    ]);
    expect(progressLine([['rust', { done: 1, total: 3, failing: 0, running }]])).toEqual({
      key: 'rust 1/3',
      text: 'rust 1/3 [accumulated/ML-KEM-accumulated-1000000/ML-KEM-512: 412 331 of 1 000 000]',
    });
  });

  it('print every change of the counts, and otherwise only every 30 s, saying how long nothing finished', () => {
    const t = new ProgressThrottle(30_000);
    const at = (key: string, text = key) => ({ key, text });
    expect(t.next(at('rust 1/3'), 0)).toBe('progress: rust 1/3');
    expect(t.next(at('rust 2/3'), 2_000)).toBe('progress: rust 2/3');
    for (let now = 4_000; now < 32_000; now += 2_000) expect(t.next(at('rust 2/3', `rust 2/3 [d: ${now} of 1 000 000]`), now)).toBeUndefined();
    expect(t.next(at('rust 2/3', 'rust 2/3 [d: 32 000 of 1 000 000]'), 32_000)).toBe('progress: rust 2/3 [d: 32 000 of 1 000 000] (nothing finished for 30 s)');
    expect(t.next(at('rust 2/3'), 34_000)).toBeUndefined();
    expect(t.next(at('rust 2/3'), 62_000)).toBe('progress: rust 2/3 (nothing finished for 60 s)');
    expect(t.next(at('rust 3/3'), 64_000)).toBe('progress: rust 3/3');
  });

  it('an accumulated digest reports each test done, in order, to the last', async () => {
    const c = accumulatedCases({}).find((x) => x.id === 'accumulated/ML-KEM-accumulated-100/ML-KEM-512')!;
    const seen: number[] = [];
    const r = await c.run(createNobleBackend(), { progress: (done) => seen.push(done) });
    expect(r.status).toBe('pass');
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
