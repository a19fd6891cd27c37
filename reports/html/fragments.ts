// Small pieces of markup the report's sections share: status chips, value
// cells with a copy button, tables, id lists, memory findings, and one failing
// case in full. Every string from results.json is escaped here or by the caller.

import type { Shown } from '../../model/case.ts';
import type { CaseResult, Finding } from '../../model/results.ts';
import { escapeAttr as a, escapeMarkup as h, fmtMs, shortValue } from '../text.ts';
import type { Capped, Counts, ShownCase } from './view.ts';

/** A value cell: shortened hex with the full value in the title and a copy button. */
function value(v: string | number | boolean): string {
  const { text, shortened } = shortValue(v);
  if (!shortened) return `<code class="v">${h(text)}</code>`;
  return `<code class="v" title="${a(v)}">${h(text)}</code><button type="button" class="copy" title="Copy the full value">copy</button>`;
}

export function statusChip(s: string, n?: number): string {
  return `<span class="chip s-${a(s)}">${n !== undefined ? `${n} ` : ''}${h(s)}</span>`;
}

/** A chip per non-zero count: pass, then the failing statuses, skips, findings. */
export function countChips(c: Counts): string {
  const parts: string[] = [];
  if (c.pass > 0) parts.push(statusChip('pass', c.pass));
  for (const s of ['fail', 'crash', 'timeout', 'error', 'skip'] as const) if (c[s] > 0) parts.push(statusChip(s, c[s]));
  if (c.findings > 0) parts.push(statusChip('findings', c.findings));
  return parts.join(' ');
}

/** A table with a heading row; headings and cells are markup (escaped by the caller). */
export function table(head: string[], rows: string[][], cls = ''): string {
  return `<table class="grid ${cls}"><thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** A two-column table of names (escaped here) and values (markup). */
export function kvTable(rows: [string, string][]): string {
  return `<table class="grid env"><tbody>${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

export function idList(ids: Capped<string>): string {
  const shown = ids.shown.map((id) => `<li><code>${h(id)}</code></li>`);
  const more = ids.more > 0 ? `<li class="muted">… and ${ids.more} more (see results.json)</li>` : '';
  return `<ul class="ids">${shown.join('')}${more}</ul>`;
}

function framesList(f: Finding): string {
  if (f.frames.length === 0) return '';
  const items = f.frames.map((fr) => {
    const where = [fr.file ? `${fr.file}${fr.line !== undefined ? `:${fr.line}` : ''}` : '', fr.obj ? `(${fr.obj})` : ''].filter(Boolean).join(' ');
    return `<li><code>${h(fr.fn)}</code>${where ? ` <span class="muted">${h(where)}</span>` : ''}</li>`;
  });
  return `<ol class="frames">${items.join('')}</ol>`;
}

export function findingsBlock(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  return `<div class="findings">${findings
    .map((f) => `<div class="finding"><div>${statusChip('findings')} <strong>${h(f.tool)} · ${h(f.kind)}</strong>: ${h(f.message)}</div>${framesList(f)}</div>`)
    .join('')}</div>`;
}

function sourceText(r: CaseResult): string {
  if (!r.source) return '';
  const s = r.source;
  return [s.file, s.tgId !== undefined ? `tgId ${s.tgId}` : '', s.tcId !== undefined ? `tcId ${s.tcId}` : '', s.line !== undefined ? `line ${s.line}` : ''].filter(Boolean).join(' · ');
}

function shownTable(cls: string, title: string, shown: Shown): string {
  const rows = Object.keys(shown).map((k) => `<tr><th>${h(k)}</th><td>${value(shown[k]!)}</td></tr>`);
  return `<table class="kv ${cls}"><caption>${h(title)}</caption>${rows.join('')}</table>`;
}

function compareTable(expected: Shown | undefined, got: Shown | undefined): string {
  const keys = [...new Set([...Object.keys(expected ?? {}), ...Object.keys(got ?? {})])];
  if (keys.length === 0) return '';
  const rows = keys.map((k) => {
    const e = expected?.[k];
    const g = got?.[k];
    const differs = e !== g;
    return `<tr class="${differs ? 'differs' : 'same'}"><th>${h(k)}</th><td class="expected">${e === undefined ? '<span class="muted">—</span>' : value(e)}</td><td class="got">${g === undefined ? '<span class="muted">—</span>' : value(g)}</td></tr>`;
  });
  return `<table class="cmp"><thead><tr><th>field</th><th>expected</th><th>got</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** stderr shown per case; the rest stays in results.json. */
const STDERR_SHOWN = 8000;

/** One failing case, collapsed: where it came from, reason, expected vs got, inputs, crash, findings. */
export function caseBlock({ result: r, known }: ShownCase): string {
  const parts: string[] = [];
  parts.push(
    `<div class="meta"><span>backend <code>${h(r.backend)}</code></span><span>${h(r.parameterSet)}</span><span>op <code>${h(r.op)}</code></span>${r.source ? `<span>source <code>${h(sourceText(r))}</code></span>` : ''}<span>${h(fmtMs(r.durationMs))}</span>${known ? '<span class="chip s-known">known (baseline)</span>' : ''}</div>`,
  );
  if (r.reason) parts.push(`<p class="reason">${h(r.reason)}</p>`);
  if (r.derived) parts.push(`<p class="note derived-note"><span class="chip s-known">derived</span> ${h(r.derived)}</p>`);
  const cmp = compareTable(r.expected, r.got);
  if (cmp) parts.push(cmp);
  if (r.inputs && Object.keys(r.inputs).length > 0) parts.push(shownTable('inputs', 'inputs', r.inputs));
  if (r.crash) {
    const err = r.crash.stderr.length > STDERR_SHOWN ? `${r.crash.stderr.slice(0, STDERR_SHOWN)}\n… ${r.crash.stderr.length - STDERR_SHOWN} more characters in results.json` : r.crash.stderr;
    parts.push(
      `<div class="crash"><div>signal <code>${h(r.crash.signal ?? 'none')}</code> · exit code <code>${h(r.crash.exitCode ?? 'none')}</code></div>${err ? `<pre class="stderr">${h(err)}</pre>` : ''}</div>`,
    );
  }
  parts.push(findingsBlock(r.findings));
  // A passing (or skipped) case is listed only for its memory findings.
  const st = r.status === 'pass' || r.status === 'skip' ? 'findings' : r.status;
  return `<details class="case" data-case-id="${a(r.id)}" data-backend="${a(r.backend)}" data-status="${a(r.status)}"><summary>${statusChip(st)} <code class="id">${h(r.id)}</code> <span class="muted">${h(r.backend)}</span>${r.reason ? ` <span class="why">${h(shortValue(r.reason, 60, 0, 120).text)}</span>` : ''}</summary><div class="case-body">${parts.join('')}</div></details>`;
}
