// The child host: the harness's own module wrapper (node + child-main, compiled or through tsx,
// serving one registry backend), driven through the module-wrapper client, so a
// crash or a hang of a native backend costs one call, not the run.

import type { BackendInfo } from '../../model/contract.ts';
import { nodeCommand } from '../../model/package.ts';
import { WrapperConnection, openWrapperBackend, type WrapperBackend, type WrapperOptions } from '../../backends/modulewrapper/client.ts';

export function childArgv(spec: string, opts: { command?: string[]; liboqs?: string; nodeFlags?: string[]; entry?: string } = {}): string[] {
  const node = opts.entry ? [process.execPath, opts.entry] : nodeCommand('harness/hosts/child-main.ts');
  // Flags for the child's node go right after the node binary.
  const prefix = opts.command ?? [node[0]!, ...(opts.nodeFlags ?? []), ...node.slice(1)];
  return [...prefix, spec, ...(opts.liboqs ? ['--liboqs', opts.liboqs] : [])];
}

export interface ChildBackendOptions extends WrapperOptions {
  /** Replaces node + child-main (nodeCommand); the spec is appended. */
  command?: string[];
  /** Flags for the child's node (before --import). */
  nodeFlags?: string[];
  /** A bundled child-main (bundle.ts) to run instead of the sources or the compiled file. */
  entry?: string;
  liboqs?: string;
}

export async function openChildBackend(spec: string, opts: ChildBackendOptions = {}): Promise<WrapperBackend> {
  const conn = WrapperConnection.spawn(childArgv(spec, opts), opts);
  const fallback: BackendInfo = { id: spec, name: spec, version: 'unknown', kind: 'process' };
  return openWrapperBackend(conn, fallback, (info) => ({
    ...info,
    notes: [...(info.notes ?? []), `hosted in a child process (module-wrapper protocol)${opts.wrap?.length ? ` under ${opts.wrap[0]}` : ''}`],
  }));
}
