// `pqc-harness backends`: which kinds exist, and for the chosen specs whether
// they open, what they are and what they offer.

import { BACKEND_KINDS, DEFAULT_BACKENDS } from '../backends/registry.ts';
import { ALL_OPS } from '../model/contract.ts';
import { chooseHost, openHosted } from '../harness/hosts/index.ts';
import { backendSpecs, parse } from './args.ts';

export const BACKENDS_USAGE = 'pqc-harness backends [--backend ...] [--liboqs PATH]   what is available, versions, capabilities';

export async function cmdBackends(args: string[]): Promise<number> {
  const { values } = parse(args, { backend: { type: 'string' }, liboqs: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } });
  if (values.help) {
    console.log(BACKENDS_USAGE);
    return 0;
  }
  const specs = backendSpecs(values.backend, DEFAULT_BACKENDS);
  console.log('Backend kinds:');
  for (const k of BACKEND_KINDS) console.log(`  ${k.usage.padEnd(15)} ${k.summary}`);
  console.log('');
  for (const spec of specs) {
    try {
      const b = await openHosted(spec, 'inproc', { liboqs: values.liboqs });
      const d = b.describe();
      const caps = b.capabilities();
      console.log(`${spec.text}: available  ${d.name} ${d.version} (${d.kind}, default host ${chooseHost(spec, 'auto')})`);
      if (d.library) console.log(`  library ${d.library.path} sha256 ${d.library.sha256}`);
      console.log(`  parameter sets: ${caps.parameterSets.join(', ')}`);
      const missing = ALL_OPS.filter((o) => !caps.ops.includes(o));
      console.log(`  operations: ${caps.ops.join(', ')}`);
      if (missing.length) console.log(`  not offered: ${missing.join(', ')}`);
      for (const [op, how] of Object.entries(caps.derived ?? {})) console.log(`  derived: ${op}: ${how}`);
      for (const q of d.dialect ?? []) {
        console.log(`  dialect: ${q.question}: ${q.decided ?? 'UNDETERMINED (the cases that depend on it are skipped)'}`);
        for (const e of q.evidence) console.log(`    probe: ${e}`);
      }
      for (const n of d.notes ?? []) console.log(`  note: ${n}`);
      await b.close?.();
    } catch (e) {
      console.log(`${spec.text}: NOT available: ${(e as Error).message}`);
    }
  }
  return 0;
}
