// Timing and its statistics for `pqc-harness bench`.
//
// Statistics are order statistics: the median is robust against the odd
// preempted call on a shared machine, and the interquartile range (q3 - q1)
// says how much the middle half of the calls spread. Quantiles use linear
// interpolation between order statistics (R type 7, the numpy/Excel default),
// so the median of an even-sized sample is the mean of the two middle values.
//
// Clocks: process.hrtime.bigint() (monotonic, nanoseconds). Nothing here
// asserts a time; tests check the arithmetic on known arrays only.

export interface Stats {
  /** Number of samples. */
  n: number;
  median: number;
  q1: number;
  q3: number;
  /** q3 - q1. */
  iqr: number;
  min: number;
  max: number;
  mean: number;
}

/** Quantile p in [0, 1] of an ascending-sorted array (type 7 linear interpolation). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

export function median(xs: readonly number[]): number {
  return quantileSorted([...xs].sort((a, b) => a - b), 0.5);
}

/** Interquartile range q3 - q1. */
export function iqr(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

export function summarize(xs: readonly number[]): Stats {
  if (xs.length === 0) throw new Error('statistics of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  let sum = 0;
  for (const x of s) sum += x;
  return { n: s.length, median: quantileSorted(s, 0.5), q1, q3, iqr: q3 - q1, min: s[0]!, max: s[s.length - 1]!, mean: sum / s.length };
}

/** Monotonic time in nanoseconds. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

export interface MeasureOptions {
  /** Sample for at least this long (after warm-up). */
  minTimeMs: number;
  /** Warm-up (JIT, caches, lazy tables); at least `minWarmupCalls` calls. Default min(100, minTimeMs / 3). */
  warmupMs?: number;
  /** At least this many samples, however long they take. Default 5. */
  minSamples?: number;
  /** Stop after this many samples even if minTimeMs has not passed. Default 20 000. */
  maxSamples?: number;
  /** Calls per sample; the sample is the mean per call of the batch. Default 1. */
  batch?: number;
}

export const DEFAULT_MIN_SAMPLES = 5;
export const DEFAULT_MAX_SAMPLES = 20_000;
const MIN_WARMUP_CALLS = 2;

/** One sample: returns microseconds per call (it may time itself, as the native loop does). */
export type Sampler = () => Promise<number> | number;

/** A sampler that times `batch` calls of `fn` with process.hrtime.bigint. */
export function timed(fn: () => unknown, batch = 1): Sampler {
  const k = Math.max(1, Math.floor(batch));
  return async () => {
    const s = nowNs();
    for (let i = 0; i < k; i++) await fn();
    return Number(nowNs() - s) / 1000 / k;
  };
}

/** A sampler that starts `window` calls at once and reports the time per call (a pipelined transport's cost). */
export function timedConcurrent(fn: () => unknown, window: number): Sampler {
  const k = Math.max(1, Math.floor(window));
  return async () => {
    const s = nowNs();
    await Promise.all(Array.from({ length: k }, () => fn()));
    return Number(nowNs() - s) / 1000 / k;
  };
}

/** As timed, for a synchronous call (no await between calls: the bare FFI call). */
export function timedSync(fn: () => unknown, batch = 1): Sampler {
  const k = Math.max(1, Math.floor(batch));
  return () => {
    const s = nowNs();
    for (let i = 0; i < k; i++) fn();
    return Number(nowNs() - s) / 1000 / k;
  };
}

/**
 * Samples adaptively: warm-up (at least two samples, and warmupMs), then
 * samples until both minTimeMs has passed and minSamples were taken, or
 * maxSamples. Returns the samples in µs per call.
 */
export async function sampleUntil(take: Sampler, opts: Omit<MeasureOptions, 'batch'>): Promise<number[]> {
  const minSamples = Math.max(1, opts.minSamples ?? DEFAULT_MIN_SAMPLES);
  const maxSamples = Math.max(minSamples, opts.maxSamples ?? DEFAULT_MAX_SAMPLES);
  const warmupNs = BigInt(Math.round(Math.max(0, opts.warmupMs ?? Math.min(100, opts.minTimeMs / 3)) * 1e6));
  const minNs = BigInt(Math.round(Math.max(0, opts.minTimeMs) * 1e6));

  // warmupMs: 0 means none at all (the slices of sampleInterleaved, warmed up once before).
  const minWarm = opts.warmupMs === 0 ? 0 : MIN_WARMUP_CALLS;
  const w0 = nowNs();
  for (let i = 0; i < minWarm || nowNs() - w0 < warmupNs; i++) await take();

  const samples: number[] = [];
  const t0 = nowNs();
  while (samples.length < maxSamples && (samples.length < minSamples || nowNs() - t0 < minNs)) {
    samples.push(await take());
  }
  return samples;
}

/** Times `fn` adaptively (see sampleUntil); each sample is one batch of `batch` calls. */
export function measure(fn: () => unknown, opts: MeasureOptions): Promise<number[]> {
  return sampleUntil(timed(fn, opts.batch), opts);
}

/**
 * Samples several variants of the same operation side by side, alternating in
 * `rounds` slices of minTimeMs / rounds each, so a change in machine load hits
 * all of them alike (the machine this was written on is shared). Each variant
 * is warmed up once before the alternation. Returns the samples (µs per call)
 * of each variant, in order.
 */
export async function sampleInterleaved(samplers: readonly Sampler[], opts: Omit<MeasureOptions, 'batch'> & { rounds?: number }): Promise<number[][]> {
  const rounds = Math.max(1, Math.floor(opts.rounds ?? 5));
  const minSamples = opts.minSamples ?? DEFAULT_MIN_SAMPLES;
  const maxSamples = opts.maxSamples ?? DEFAULT_MAX_SAMPLES;
  const warm = { minTimeMs: 0, warmupMs: opts.warmupMs ?? Math.min(100, opts.minTimeMs / 3), minSamples: 1, maxSamples: 1 };
  for (const s of samplers) await sampleUntil(s, warm);
  const slice = { minTimeMs: opts.minTimeMs / rounds, warmupMs: 0, minSamples: Math.max(1, Math.ceil(minSamples / rounds)), maxSamples: Math.max(1, Math.ceil(maxSamples / rounds)) };
  const out = samplers.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < samplers.length; i++) out[i]!.push(...(await sampleUntil(samplers[i]!, slice)));
  }
  return out;
}

/** Rounds to 3 significant-ish decimals for the JSON (µs values). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
