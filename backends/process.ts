// `process:CMD`: any program that speaks BoringSSL acvptool's module-wrapper
// protocol on stdin/stdout (BoringSSL's and AWS-LC's modulewrapper, Go's FIPS
// module wrapper, or your own). CMD is split like a shell would split it (quotes,
// backslashes) but no shell runs. Everything else is the child-host machinery.

import type { BackendInfo } from '../model/contract.ts';
import { WrapperConnection, openWrapperBackend, type WrapperBackend, type WrapperOptions } from './modulewrapper/client.ts';

/** Split a command line into argv: whitespace separates, '…' is literal, "…" honours \" \\ \$ \`, \x outside quotes is x. */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < cmd.length) {
    const c = cmd[i]!;
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in command: ${cmd}`);
      cur += cmd.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= cmd.length) throw new Error(`unterminated " in command: ${cmd}`);
        const d = cmd[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < cmd.length && '"\\$`\n'.includes(cmd[i + 1]!)) {
          cur += cmd[i + 1];
          i += 2;
        } else {
          cur += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 < cmd.length) cur += cmd[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

export async function openProcessBackend(cmd: string, opts: WrapperOptions = {}): Promise<WrapperBackend> {
  const argv = splitCommand(cmd);
  if (!argv.length) throw new Error('process: backend needs a command (process:CMD)');
  const fallback: BackendInfo = { id: `process:${cmd}`, name: cmd, version: 'unknown', kind: 'process' };
  // A Python wrapper that dies on a fatal signal then prints its stack: the call that crashed (harness/hosts/crash-stderr.ts, model/diagnoses.ts).
  const env = { PYTHONFAULTHANDLER: '1', ...opts.env };
  return openWrapperBackend(WrapperConnection.spawn(argv, { ...opts, env }), fallback);
}
