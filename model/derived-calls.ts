// Which calls of a case the harness derived from a lower interface (M′ or μ
// formatted by the harness, backends/derived.ts). The runner opens a scope per
// case; the derivation notes what it did into the scope of the call chain that
// asked, so concurrent cases never see each other's marks.

import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<Set<string>>();

/** Run `f`, collecting into `notes` how each derived call it makes was derived. */
export function collectDerivedCalls<T>(notes: Set<string>, f: () => Promise<T>): Promise<T> {
  return scope.run(notes, f);
}

/** Called by a derivation: this call's answer came through a lower interface, for this reason. */
export function noteDerivedCall(note: string): void {
  scope.getStore()?.add(note);
}
