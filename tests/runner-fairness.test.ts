// An in-process backend (noble) and a child-hosted one (rust) in one run: the
// in-process one must not starve the child host of its replies. Before the
// runner yielded to the event loop between cases, the child's first call sat
// unread until noble finished and then "timed out".

import { describe, expect, it } from 'vitest';
import { runConformance } from '../harness/runner.ts';

describe('backends side by side', () => {
  it('a child-hosted backend gets its replies while an in-process one runs', async () => {
    const r = await runConformance({ backends: ['noble', 'rust'], suites: ['acvp'], params: ['ML-DSA-44'], host: 'auto', timeoutMs: 1500 });
    const counts = (b: string) => r.cases.filter((c) => c.backend === b).length;
    expect(counts('noble')).toBe(counts('rust'));
    expect(r.cases.filter((c) => c.status === 'timeout')).toEqual([]);
    expect(r.summary.fail + r.summary.error + r.summary.crash).toBe(0);
  }, 120_000);
});
