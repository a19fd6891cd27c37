// The one tiny interface every suite implements, registered in suites/index.ts.

import type { Case, Suite } from '../case.ts';

export interface SuiteOptions {
  /** Longer variants (e.g. the 1 000 000-test accumulated digests). */
  long?: boolean;
  /** Backend ids in this run, for suites whose cases depend on the mix (interop). */
  backends?: readonly string[];
}

export interface SuiteDef {
  name: Suite;
  title: string;
  /** Vector files (manifest paths) this suite reads, for provenance. */
  vectorFiles: readonly string[];
  /**
   * What a reader of the report must know about how the vectors are applied
   * (rules chosen, traps avoided, checks deliberately left out).
   */
  notes?: readonly string[];
  /** Make every case. Throws on a bad vector file; zero cases is an error the runner reports. */
  cases(opts: SuiteOptions): Case[];
}
