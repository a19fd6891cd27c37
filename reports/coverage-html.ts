// The HTML report's coverage section (`run --coverage`): per JS backend, what
// of the implementation's own files the suites reached, and every line and
// branch they never reached, per file. Empty when no backend was measured.

import type { Results } from '../model/results.ts';
import { covered, lineRanges, percent, ratio } from './coverage-text.ts';
import { escapeMarkup as h } from './text.ts';

export function coverageSection(results: Pick<Results, 'backends'>): string {
  const backends = covered(results);
  if (backends.length === 0) return '';
  const out: string[] = ['<section id="coverage"><h2>Coverage of the implementation under test</h2>'];
  out.push('<p class="muted">V8 block coverage of each JavaScript backend\'s own files over the whole run (<code>run --coverage</code>), counted as c8 counts it. Unreached lines and branches are code no case of these suites executed: a test the suites lack, or code they cannot reach.</p>');
  for (const b of backends) {
    const c = b.coverage;
    out.push(`<h3><code>${h(b.id)}</code> <span class="muted">${h(c.root)}</span></h3>`);
    out.push(`<p data-coverage-backend="${h(b.id)}" data-lines-covered="${c.lines.covered}" data-lines-total="${c.lines.total}" data-branches-covered="${c.branches.covered}" data-branches-total="${c.branches.total}">lines ${h(ratio(c.lines))} · branches ${h(ratio(c.branches))}</p>`);
    const rows = c.files.map((f) => {
      const branches = f.unreachedBranches.map((x) => `${x.line}:${x.column}`).join(', ');
      return `<tr><td><code>${h(f.path)}</code></td><td class="num">${h(percent(f.lines))}</td><td class="num">${h(percent(f.branches))}</td>` +
        `<td><code>${h(lineRanges(f.unreachedLines)) || '—'}</code></td><td><code>${h(branches) || '—'}</code></td></tr>`;
    });
    out.push(`<table class="grid coverage"><thead><tr><th>file</th><th class="num">lines</th><th class="num">branches</th><th>unreached lines</th><th>unreached branches (line:column)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  out.push('</section>');
  return out.join('\n');
}
