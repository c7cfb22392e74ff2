// A diagnosis as text for a terminal: one block per problem, then the server's answer and the notes.
import { Chalk } from 'chalk';
import type { Diagnosis, Problem, ServerAnswer } from './types.js';
import { show } from './issues.js';

export interface RenderOptions {
  color: boolean;
  /** the spec's file name, shown with line numbers */
  specName: string;
}

export function renderDiagnosis(diagnosis: Diagnosis, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  lines.push(c.bold(`${diagnosis.request.method} ${diagnosis.request.url}`) + c.dim(`  (${diagnosis.request.origin})`));
  const op = diagnosis.operation;
  if (op) {
    const where = op.line !== undefined ? `${options.specName}:${op.line}` : options.specName;
    lines.push(`operation ${c.bold(op.id)}: ${op.method.toUpperCase()} ${op.path}${op.basePath ? ` (base path ${op.basePath})` : ''}  ${c.dim(`${where} ${op.pointer}`)}`);
  } else {
    lines.push(c.red('no documented operation matches this request'));
  }
  lines.push('');
  const errors = diagnosis.problems.filter((p) => p.severity === 'error');
  const warnings = diagnosis.problems.filter((p) => p.severity === 'warning');
  if (errors.length === 0) lines.push(c.green(`✓ the request conforms to the contract${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}`));
  else lines.push(c.red(`✗ ${errors.length} problem${errors.length === 1 ? '' : 's'}: expect ${diagnosis.expected.join(' or ')}`));
  diagnosis.problems.forEach((problem, i) => lines.push('', ...problemBlock(problem, i + 1, options, c)));
  if (diagnosis.nearMisses.length > 1) {
    lines.push('', 'nearly matching:');
    for (const miss of diagnosis.nearMisses) lines.push(`  ${miss.method.toUpperCase()} ${miss.path}: ${miss.suggestion}`);
  }
  if (diagnosis.server) lines.push('', ...serverBlock(diagnosis.server, c));
  if (diagnosis.notes.length > 0) {
    lines.push('', c.dim('notes:'));
    for (const note of diagnosis.notes) lines.push(c.dim(`  - ${note}`));
  }
  return `${lines.join('\n')}\n`;
}

type Paint = InstanceType<typeof Chalk>;

function problemBlock(problem: Problem, n: number, options: RenderOptions, c: Paint): string[] {
  const label = (text: string): string => c.dim(text.padEnd(6));
  const head = problem.severity === 'error' ? c.red(`${n}. ${problem.where}`) : c.yellow(`${n}. ${problem.where} (warning)`);
  const out = [head];
  out.push(`   ${label('sent')} ${'value' in problem ? show(problem.value) : '(nothing)'}`);
  const file = problem.ruleFile ?? options.specName;
  const at = problem.rulePointer ? `  ${c.dim(`${problem.rulePointer}${problem.line !== undefined ? ` (${file}:${problem.line})` : ''}`)}` : '';
  out.push(`   ${label('rule')} ${problem.rule}${at}`);
  out.push(`   ${label('why')} ${problem.message}`);
  if (problem.hint) out.push(`   ${label('hint')} ${c.cyan(problem.hint)}`);
  if (problem.fix) out.push(`   ${label('fix')} ${c.green(problem.fix)}`);
  return out;
}

function serverBlock(server: ServerAnswer, c: Paint): string[] {
  const source = server.source === 'sent' ? 'the server answered' : 'the HAR recorded';
  if (server.status === undefined) return [c.yellow(`server: ${server.summary}`)];
  const out = [`${source} ${c.bold(String(server.status))}${server.contentType ? ` ${server.contentType}` : ''}${server.format && server.format !== 'none' ? c.dim(` (${server.format})`) : ''}`];
  for (const reason of server.reasons.slice(0, 10)) out.push(`  - ${reason.location ? `${reason.location}: ` : ''}${reason.message}`);
  const colour = server.verdict === 'agrees' ? c.green : server.verdict === 'rejects-for-another-reason' ? c.yellow : c.red;
  out.push(colour(`verdict: ${server.verdict}: ${server.summary}`));
  return out;
}
