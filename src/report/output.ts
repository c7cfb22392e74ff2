// Where a report goes: a file (its directories created), or stdout for `-`. Checked before the run, so that
// an unwritable path costs nothing, and written after it.
import { mkdir, open, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';

/** The path that means "standard output" for any report option. */
export const STDOUT_PATH = '-';

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** Writes all of `text` to stdout; resolves once it has been handed on, or once the reader has gone (`| head`). */
function writeStdout(text: string): Promise<void> {
  const out = process.stdout;
  return new Promise((resolve) => {
    if (out.write(text)) return resolve();
    const done = (): void => {
      for (const event of ['drain', 'close', 'error'] as const) out.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error'] as const) out.once(event, done);
  });
}

/** Writes a report to `file` (`-`: stdout), creating its directories; an error names the option, one line. */
export async function writeReportText(option: string, file: string, text: string): Promise<void> {
  if (file === STDOUT_PATH) return writeStdout(text);
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, text, 'utf8');
  } catch (err) {
    throw new InputError(`${option} ${file}: cannot write: ${reason(err)}`);
  }
}

/**
 * Before a run: every report path can be written (directories created, a file opened for writing and removed
 * again if it was not there), and at most one report goes to stdout. Throws one InputError naming the option.
 */
export async function prepareReportPaths(reports: Array<{ option: string; file: string | undefined }>): Promise<void> {
  const given = reports.filter((r): r is { option: string; file: string } => typeof r.file === 'string');
  const toStdout = given.filter((r) => r.file === STDOUT_PATH);
  if (toStdout.length > 1) {
    throw new InputError(`${toStdout.map((r) => r.option).join(' and ')}: only one report can go to stdout ('-'); give the others a file`);
  }
  const seen = new Map<string, string>();
  for (const { option, file } of given) {
    if (file === STDOUT_PATH) continue;
    const absolute = path.resolve(file);
    const other = seen.get(absolute);
    if (other) throw new InputError(`${other} and ${option}: both write ${file}; give each report its own file`);
    seen.set(absolute, option);
    await checkWritable(option, file, absolute);
  }
}

async function checkWritable(option: string, file: string, absolute: string): Promise<void> {
  const directory = path.dirname(absolute);
  try {
    await mkdir(directory, { recursive: true });
  } catch (err) {
    const code = reason(err);
    // mkdir -p meets a file where a directory should be
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code;
    throw new InputError(`${option} ${file}: cannot create its directory ${directory}: ${why}`);
  }
  const existing = await stat(absolute).catch(() => undefined);
  if (existing?.isDirectory()) throw new InputError(`${option} ${file}: is a directory; name a file`);
  try {
    // opening is the test that also holds for root and for read-only file systems; r+ does not truncate
    await (await open(absolute, existing ? 'r+' : 'wx')).close();
    if (!existing) await unlink(absolute);
  } catch (err) {
    throw new InputError(`${option} ${file}: cannot write: ${reason(err)}`);
  }
}
