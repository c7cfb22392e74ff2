import { COMPACT_CHARS } from '../report/table-style.js';
import Table from 'cli-table3';
import { checks } from '../check/registry.js';

export function listChecksCommand(opts: { json?: boolean }): void {
  const rows = checks.map((c) => ({ id: c.id, category: c.category, severity: c.defaultSeverity, description: c.description }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const table = new Table({ head: ['check', 'category', 'severity', 'what it verifies'], wordWrap: true, colWidths: [22, 18, 10, 70], style: { head: [], border: [] }, chars: COMPACT_CHARS });
  for (const r of rows) table.push([r.id, r.category, r.severity, r.description]);
  process.stdout.write(`${table.toString()}\n`);
}
