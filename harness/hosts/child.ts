// The child host: the harness's own module wrapper (node + tsx + child-main.ts
// serving one registry backend), driven through the module-wrapper client, so a
// crash or a hang of a native backend costs one call, not the run.

import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendInfo } from '../../model/contract.ts';
import { WrapperConnection, openWrapperBackend, type WrapperBackend, type WrapperOptions } from '../../backends/modulewrapper/client.ts';


export const CHILD_MAIN = fileURLToPath(new URL('./child-main.ts', import.meta.url));

/** `--import` target for tsx, resolved from this file so the child works from any cwd. */
function tsxImport(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export function childArgv(spec: string, opts: { command?: string[]; liboqs?: string; nodeFlags?: string[] } = {}): string[] {
  const prefix = opts.command ?? [process.execPath, ...(opts.nodeFlags ?? []), '--import', tsxImport(), CHILD_MAIN];
  return [...prefix, spec, ...(opts.liboqs ? ['--liboqs', opts.liboqs] : [])];
}

export interface ChildBackendOptions extends WrapperOptions {
  /** Replaces [node, --import, tsx, child-main.ts]; the spec is appended. */
  command?: string[];
  /** Flags for the child's node (before --import). */
  nodeFlags?: string[];
  liboqs?: string;
}

export async function openChildBackend(spec: string, opts: ChildBackendOptions = {}): Promise<WrapperBackend> {
  const conn = new WrapperConnection(childArgv(spec, opts), opts);
  const fallback: BackendInfo = { id: spec, name: spec, version: 'unknown', kind: 'process' };
  return openWrapperBackend(conn, fallback, (info) => ({
    ...info,
    notes: [...(info.notes ?? []), `hosted in a child process (module-wrapper protocol)${opts.wrap?.length ? ` under ${opts.wrap[0]}` : ''}`],
  }));
}
