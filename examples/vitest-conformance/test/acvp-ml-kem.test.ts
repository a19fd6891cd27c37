// The NIST ACVP ML-KEM vectors against noble, one test per case.
import { conformance } from 'pqc-harness/vitest';

conformance({ backend: 'noble', suites: ['acvp'], params: ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] });
