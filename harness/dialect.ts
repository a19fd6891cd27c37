// Dialects decided by evidence, not guesses. Where a wrapper's getConfig does
// not fix what an argument means, the harness sends a deterministic ACVP
// vector under each reading and keeps the reading whose known answer comes back:
//
//   - a peer that declares both signature interfaces for sigGen / sigVer: does
//     the standard command's `message` mean M (with the context, external) or
//     M′ (internal)? Go's FIPS module wrapper declares both and reads external.
//   - how a deterministic signature's randomizer is sent: 32 zero bytes
//     (acvptool) or an empty string.
//   - whether an empty message reaches the implementation or reads as "no
//     message" (Go's wrapper); from a Wycheproof vector (ACVP has no empty message).
//
// If no reading matches, the question stays open (decided: null): the
// operations that depend on it are not offered, so their cases are skipped,
// and the evidence travels with the backend into results.json and the report.

import { equalBytes, fromHex, toHex } from '../model/bytes.ts';
import type { DialectDecision, Op } from '../model/contract.ts';
import { DSA_PARAMS, type DsaParam } from '../model/params.ts';
import type { WrapperBackend } from '../backends/modulewrapper/client.ts';
import type { CrucibleBackend } from '../backends/crucible.ts';
import { textOf } from '../backends/modulewrapper/codec.ts';
import { isErrorResponse } from '../backends/modulewrapper/commands.ts';
import type { AcvpTest } from '../vectors/acvp.ts';
import { readVectorJson } from '../vectors/store.ts';
import { ACVP_FILES, ACVP_SETS, readAcvpSet } from './suites/acvp.ts';

const EMPTY = new Uint8Array(0);
const ZEROS = new Uint8Array(32);

type Mode = 'sigGen' | 'sigVer';
type Reading = 'external' | 'internal';

/** The outcome of one probe, as evidence. */
interface Tried {
  match: boolean;
  line: string;
}

const testsByMode = new Map<Mode, AcvpTest[]>();

/** The mode's ACVP tests, read once per process (the files are pinned by hash): every probe of every wrapper searches them. */
function tests(mode: Mode): AcvpTest[] {
  let t = testsByMode.get(mode);
  if (!t) {
    const file = mode === 'sigGen' ? ACVP_FILES.dsaSigGenPrompt : ACVP_FILES.dsaSigVerPrompt;
    t = readAcvpSet(ACVP_SETS.find((s) => s.file === file)!).tests;
    testsByMode.set(mode, t);
  }
  return t;
}

/**
 * A deterministic known-answer test of this interface for `ps`: external ones
 * with a non-empty context (so the context matters), or with an empty one for a
 * protocol that carries none.
 */
function probeTest(mode: Mode, ps: DsaParam, iface: Reading, context: 'non-empty' | 'empty' = 'non-empty'): AcvpTest | undefined {
  return tests(mode).find((t) => {
    const g = t.group;
    if (g.str('parameterSet') !== ps || g.str('signatureInterface') !== iface) return false;
    if (mode === 'sigGen' && !g.bool('deterministic')) return false;
    if (mode === 'sigVer' && !t.test.bool('testPassed')) return false;
    if (iface === 'external') return g.str('preHash') === 'pure' && (t.test.str('context').length > 0) === (context === 'non-empty');
    return !g.bool('externalMu');
  });
}

const where = (t: AcvpTest): string => `ACVP ${t.group.str('parameterSet')} tgId ${t.tgId} tcId ${t.tcId}`;

async function send(b: WrapperBackend, parts: (string | Uint8Array)[]): Promise<{ ok: Uint8Array[] } | { refused: string }> {
  try {
    const r = await b.probe(parts);
    return isErrorResponse(r) ? { refused: `${textOf(r[1])}: ${textOf(r[2])}` } : { ok: r };
  } catch (e) {
    return { refused: (e as Error).message.split('\n')[0]! };
  }
}

async function probeSigGen(b: WrapperBackend, ps: DsaParam, reading: Reading, rnd: 'zeros' | 'empty'): Promise<Tried | undefined> {
  const t = probeTest('sigGen', ps, reading);
  if (!t) return undefined;
  const sk = t.test.hex('sk');
  const msg = t.test.hex('message');
  const ctx = reading === 'external' ? t.test.hex('context') : EMPTY;
  const want = t.test.hex('signature');
  const r = await send(b, [`${ps}/sigGen`, sk, msg, rnd === 'zeros' ? ZEROS : EMPTY, ctx, EMPTY]);
  const label = `sigGen read as ${reading}, randomizer ${rnd === 'zeros' ? '32 zero bytes' : 'empty'} (${where(t)})`;
  if ('refused' in r) return { match: false, line: `${label}: refused (${r.refused.slice(0, 160)})` };
  const got = r.ok[0] ?? EMPTY;
  const match = r.ok.length === 1 && equalBytes(got, want);
  return { match, line: `${label}: ${match ? 'the expected signature' : `a different answer (${got.length} bytes, ${toHex(got.subarray(0, 8))}…)`}` };
}

async function probeSigVer(b: WrapperBackend, ps: DsaParam, reading: Reading): Promise<Tried | undefined> {
  const t = probeTest('sigVer', ps, reading);
  if (!t) return undefined;
  const ctx = reading === 'external' ? t.test.hex('context') : EMPTY;
  const r = await send(b, [`${ps}/sigVer`, t.test.hex('pk'), t.test.hex('message'), t.test.hex('signature'), ctx, EMPTY]);
  const label = `sigVer read as ${reading} (${where(t)}, a valid signature)`;
  if ('refused' in r) return { match: false, line: `${label}: refused (${r.refused.slice(0, 160)})` };
  const accepted = r.ok.length === 1 && r.ok[0]!.length === 1 && r.ok[0]![0] !== 0;
  return { match: accepted, line: `${label}: ${accepted ? 'accepted' : 'not accepted'}` };
}

/** The parameter sets for which `mode` declares both interfaces (the question is open). */
function ambiguousSets(b: WrapperBackend, mode: Mode): DsaParam[] {
  const m = mode === 'sigGen' ? b.peer.sigGen : b.peer.sigVer;
  return DSA_PARAMS.filter((ps) => {
    const caps = m.get(ps);
    return !!caps && caps.interfaces.includes('internal') && caps.interfaces.includes('external');
  });
}

/**
 * Probe what this wrapper's declaration leaves open and route by what the
 * evidence says. Nothing to decide: nothing is sent.
 */
export async function decideDialect(b: WrapperBackend): Promise<DialectDecision[]> {
  const decisions: DialectDecision[] = [];
  const message: { sigGen?: Reading | null; sigVer?: Reading | null } = {};
  let deterministicRnd: 'zeros' | 'empty' | undefined;

  const gen = ambiguousSets(b, 'sigGen');
  if (gen.length) {
    // The cheapest set the wrapper declares decides for all (a wrapper reads its commands one way).
    const ps = gen[0]!;
    const evidence: string[] = [];
    let kept: { reading: Reading; rnd: 'zeros' | 'empty' } | undefined;
    for (const rnd of ['zeros', 'empty'] as const) {
      for (const reading of ['external', 'internal'] as const) {
        const t = await probeSigGen(b, ps, reading, rnd);
        if (!t) continue;
        evidence.push(t.line);
        if (t.match && !kept) kept = { reading, rnd };
      }
      if (kept) break;
    }
    message.sigGen = kept?.reading ?? null;
    if (kept) deterministicRnd = kept.rnd;
    decisions.push({ question: `sigGen (${gen.join(', ')}): getConfig declares both signature interfaces; what \`message\` means, and how a deterministic randomizer is sent`, decided: kept ? `${kept.reading}; deterministic randomizer ${kept.rnd === 'zeros' ? '32 zero bytes' : 'empty'}` : null, evidence });
  }

  const ver = ambiguousSets(b, 'sigVer');
  if (ver.length) {
    const ps = ver[0]!;
    const tried = (await Promise.all((['external', 'internal'] as const).map(async (reading) => ({ reading, t: await probeSigVer(b, ps, reading) })))).filter((x) => x.t);
    const matches = tried.filter((x) => x.t!.match);
    // Exactly one reading may accept its own valid signature: both or neither leaves the question open.
    message.sigVer = matches.length === 1 ? matches[0]!.reading : null;
    decisions.push({ question: `sigVer (${ver.join(', ')}): getConfig declares both signature interfaces; what \`message\` means`, decided: message.sigVer, evidence: tried.map((x) => x.t!.line) });
  }

  // An open question takes its operations away, with the evidence as the reason their cases skip.
  const notOffered: Partial<Record<Op, string>> = {};
  const open = (ops: Op[], d: DialectDecision) => {
    for (const op of ops) notOffered[op] = `what \`message\` means is undetermined: no known-answer probe matched (${d.evidence.join('; ')})`;
  };
  if (message.sigGen === null) open(['dsa.sign', 'dsa.signInternal', 'dsa.signPreHash'], decisions[0]!);
  if (message.sigVer === null) open(['dsa.verify', 'dsa.verifyInternal', 'dsa.verifyPreHash'], decisions[decisions.length - 1]!);
  if (decisions.length) b.applyDialect({ message, ...(deterministicRnd ? { deterministicRnd } : {}) }, decisions, notOffered);

  const empty = await decideEmptyMessage(b);
  if (empty) {
    b.applyDialect({ emptyMessage: empty.decided === 'carried' ? 'carried' : 'absent' }, [empty]);
    decisions.push(empty);
  }
  return decisions;
}

/**
 * Whether an empty message reaches the implementation through the standard
 * sigGen, or is read as "no message" (Go's wrapper answers `have message=false`).
 * Asked only of a wrapper without the harness's extension commands whose
 * standard sigGen carries external messages. Probe: a Wycheproof valid test
 * signing the empty message with a key from a seed (keyGen, then sigGen).
 * Undecided counts as "absent": an empty message then goes another way or is
 * skipped, never judged on an answer to a different question.
 */
async function decideEmptyMessage(b: WrapperBackend): Promise<DialectDecision | undefined> {
  if (b.peer.extension) return undefined;
  const ps = DSA_PARAMS.find((p) => b.capabilities().ops.includes('dsa.sign') && b.peer.dsaKeyGen.has(p) && b.peer.sigGen.has(p));
  if (!ps) return undefined;
  const question = `sigGen / sigVer: is an empty \`message\` carried, or read as no message at all`;
  const t = emptyMessageTest(ps);
  if (!t) return { question, decided: null, evidence: [`no Wycheproof test signs an empty message for ${ps}`] };
  const label = `${t.file} tcId ${t.tcId} (keyGen from the seed, then sigGen of the empty message)`;
  const kg = await send(b, [`${ps}/keyGen`, t.seed]);
  if ('refused' in kg) return { question, decided: null, evidence: [`${label}: keyGen refused (${kg.refused.slice(0, 160)})`] };
  const sig = await send(b, [`${ps}/sigGen`, kg.ok[1] ?? EMPTY, EMPTY, b.peer.dialect.deterministicRnd === 'empty' ? EMPTY : ZEROS, EMPTY, EMPTY]);
  if ('refused' in sig) return { question, decided: 'absent', evidence: [`${label}: refused (${sig.refused.slice(0, 160)})`] };
  const match = sig.ok.length === 1 && equalBytes(sig.ok[0]!, t.sig);
  return { question, decided: match ? 'carried' : 'absent', evidence: [`${label}: ${match ? 'the expected signature' : 'a different answer'}`] };
}

/** A valid Wycheproof test signing the empty message, deterministically, with an empty context, from a seed. */
function emptyMessageTest(ps: DsaParam): { file: string; tcId: number; seed: Uint8Array; sig: Uint8Array } | undefined {
  const file = `wycheproof/testvectors_v1/mldsa_${ps.slice('ML-DSA-'.length)}_sign_seed_test.json`;
  const doc = readVectorJson(file) as { testGroups?: { privateSeed?: string; tests?: { tcId: number; msg?: string; ctx?: string; rnd?: string; sig?: string; result?: string }[] }[] };
  for (const g of doc.testGroups ?? []) {
    for (const t of g.tests ?? []) {
      if (t.result === 'valid' && t.msg === '' && !t.ctx && !t.rnd && t.sig && g.privateSeed) return { file, tcId: t.tcId, seed: fromHex(g.privateSeed), sig: fromHex(t.sig) };
    }
  }
  return undefined;
}

/**
 * A Crucible harness's ML_DSA_Sign takes (sk, message, rnd): is `message` M
 * (with an empty context) or M′? One deterministic ACVP vector per reading.
 */
export async function decideCrucibleDialect(b: CrucibleBackend): Promise<DialectDecision | undefined> {
  if (!b.banner.functions.includes('ML_DSA_Sign')) return undefined;
  const ps: DsaParam = 'ML-DSA-44';
  const evidence: string[] = [];
  let kept: Reading | null = null;
  for (const reading of ['external', 'internal'] as const) {
    const t = probeTest('sigGen', ps, reading, 'empty');
    if (!t) continue;
    const got = await b.probeSign(ps, t.test.hex('sk'), t.test.hex('message'), ZEROS);
    const label = `ML_DSA_Sign read as ${reading === 'external' ? 'M (empty context)' : "M′"} (${where(t)})`;
    if (!(got instanceof Uint8Array)) evidence.push(`${label}: refused (${got.refused.slice(0, 160)})`);
    else {
      const match = equalBytes(got, t.test.hex('signature'));
      evidence.push(`${label}: ${match ? 'the expected signature' : `a different answer (${got.length} bytes)`}`);
      if (match && !kept) kept = reading;
    }
  }
  const decision = { question: 'ML_DSA_Sign / ML_DSA_Verify: what `message` means', decided: kept, evidence };
  b.applyMessageReading(kept, decision);
  return decision;
}
