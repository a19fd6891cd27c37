// A backend plugin: the default export implements pqc-harness's contract.
// Here it wraps @noble/post-quantum's ML-KEM; put your own implementation behind it.
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { RejectedError, type Backend } from 'pqc-harness';

const kems = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 };
const refuse = <T>(f: () => T): T => { try { return f(); } catch (e) { throw new RejectedError((e as Error).message); } };
const accepts = (f: () => unknown) => { try { f(); return true; } catch { return false; } };

export default {
  describe: () => ({ id: 'my-kem', name: 'my ML-KEM', version: '1.0.0', kind: 'module' }),
  capabilities: () => ({ parameterSets: ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'], ops: ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey'] }),
  kem: {
    keygen: async (ps, d, z) => { const k = kems[ps].keygen(Uint8Array.from([...d, ...z])); return { ek: k.publicKey, dk: k.secretKey }; },
    encaps: async (ps, ek, m) => { const r = refuse(() => kems[ps].encapsulate(ek, m)); return { c: r.cipherText, k: r.sharedSecret }; },
    decaps: async (ps, dk, c) => refuse(() => kems[ps].decapsulate(c, dk)),
    checkEncapsKey: async (ps, ek) => accepts(() => kems[ps].encapsulate(ek)),
    checkDecapsKey: async (ps, dk) => accepts(() => kems[ps].decapsulate(new Uint8Array(kems[ps].lengths.cipherText), dk)),
  },
} satisfies Backend;
