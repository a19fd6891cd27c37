// `pqc-harness backends`: which kinds exist, and for the chosen specs whether
// they open, what they are and what they offer.

import { BACKEND_KINDS, DEFAULT_BACKENDS } from '../backends/registry.ts';
import { ALL_OPS } from '../model/contract.ts';
import { chooseHost, openHosted } from '../harness/hosts/index.ts';
import { backendEntry } from '../model/backend-entry.ts';
import { forTerminal } from '../model/text.ts';
import { backendSpecs, parse } from './args.ts';

/** One line of output; names, versions, notes and errors come from the backend, so only their printable text is shown. */
function say(line: string): void {
  console.log(forTerminal(line));
}

export const BACKENDS_USAGE = 'pqc-harness backends [--backend ...] [--liboqs PATH]   what is available, versions, capabilities';

export async function cmdBackends(args: string[]): Promise<number> {
  const { values } = parse(args, { backend: { type: 'string' }, liboqs: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } });
  if (values.help) {
    console.log(BACKENDS_USAGE);
    return 0;
  }
  const specs = backendSpecs(values.backend, DEFAULT_BACKENDS);
  say('Backend kinds:');
  for (const k of BACKEND_KINDS) say(`  ${k.usage.padEnd(15)} ${k.summary}`);
  say('');
  for (const spec of specs) {
    try {
      const b = await openHosted(spec, 'inproc', { liboqs: values.liboqs });
      // What it says of itself, checked and cut to size as a run records it.
      const d = backendEntry(spec.text, spec.kind.reports, b.describe(), b.capabilities());
      const caps = d.capabilities;
      say(`${spec.text}: available  ${d.name} ${d.version} (${d.kind}, default host ${chooseHost(spec, 'auto')})`);
      if (d.library) say(`  library ${d.library.path} sha256 ${d.library.sha256}`);
      say(`  parameter sets: ${caps.parameterSets.join(', ')}`);
      const missing = ALL_OPS.filter((o) => !caps.ops.includes(o));
      say(`  operations: ${caps.ops.join(', ')}`);
      if (missing.length) say(`  not offered: ${missing.join(', ')}`);
      for (const [op, how] of Object.entries(caps.derived ?? {})) say(`  derived: ${op}: ${how}`);
      for (const q of d.dialect ?? []) {
        say(`  dialect: ${q.question}: ${q.decided ?? 'UNDETERMINED (the cases that depend on it are skipped)'}`);
        for (const e of q.evidence) say(`    probe: ${e}`);
      }
      for (const n of d.notes ?? []) say(`  note: ${n}`);
      await b.close?.();
    } catch (e) {
      say(`${spec.text}: NOT available: ${(e as Error | null)?.message ?? String(e)}`);
    }
  }
  return 0;
}
