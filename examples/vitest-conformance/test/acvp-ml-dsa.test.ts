// The NIST ACVP ML-DSA vectors against noble. A file of its own, so that
// `vitest run --shard=i/n` (which splits by file) spreads the work.
import { conformance } from 'pqc-harness/vitest';

conformance({ backend: 'noble', suites: ['acvp'], params: ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] });
