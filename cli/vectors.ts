// `pqc-harness vectors where|verify|fetch`: where the pinned vector files are,
// whether they match their SHA-256, and fetching the missing ones.

import { manifest } from '../vectors/manifest.ts';
import { locate, readVector, vectorRoots } from '../vectors/store.ts';
import { fetchVectors } from '../vectors/fetch.ts';
import { parse, UsageError } from './args.ts';

export const VECTORS_USAGE = 'pqc-harness vectors where|verify|fetch [--base-url URL] [--force]';

export async function cmdVectors(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    console.log(VECTORS_USAGE);
    return 0;
  }
  const { values } = parse(rest, { 'base-url': { type: 'string' }, force: { type: 'boolean', default: false } });
  switch (sub) {
    case 'where': {
      for (const r of vectorRoots()) console.log(`root (${r.origin}): ${r.dir}`);
      let broken = 0;
      for (const e of manifest()) {
        try {
          console.log(`${locate(e.file) ?? 'MISSING'.padEnd(8)}  ${e.file}`);
        } catch (err) {
          broken++;
          console.log(`BROKEN    ${e.file}: ${(err as Error).message}`);
        }
      }
      return broken ? 2 : 0;
    }
    case 'verify': {
      let bad = 0;
      for (const e of manifest()) {
        try {
          const { path } = readVector(e.file);
          console.log(`ok        ${e.file}  (${path})`);
        } catch (err) {
          bad++;
          console.log(`FAILED    ${e.file}: ${(err as Error).message}`);
        }
      }
      console.log(`${manifest().length - bad} verified, ${bad} failed`);
      return bad ? 2 : 0;
    }
    case 'fetch': {
      const rep = await fetchVectors({ baseUrl: values['base-url'], force: values.force, log: (s) => console.log(s) });
      const failed = rep.filter((r) => r.status === 'failed').length;
      console.log(`${rep.filter((r) => r.status === 'fetched').length} fetched, ${rep.filter((r) => r.status === 'present').length} already present, ${failed} failed`);
      return failed ? 2 : 0;
    }
    default:
      throw new UsageError('vectors: expected where, verify or fetch');
  }
}
