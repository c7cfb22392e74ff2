// `explain`: registered up front (commander only), its machinery imported when it runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { InputError } from '../errors.js';
import type { Diagnosis, ExplainInput } from '../explain/index.js';
import type { HarRequest } from '../explain/har.js';
import { collectHeader, parseDuration, parsePositiveInt } from './options.js';
import { colorEnabled } from './terminal.js';

export interface ExplainCliOptions {
  method?: string;
  url?: string;
  header?: Record<string, string>;
  data?: string;
  dataFile?: string;
  har?: string;
  entry?: number;
  send?: boolean;
  baseUrl?: string;
  timeout?: number;
  json?: boolean;
  color?: boolean;
  refMap?: string;
}

const EXAMPLES = `
Examples:
  $ api-contract-check explain openapi.yaml -- curl -X POST http://localhost:8080/customers \\
      -H 'Content-Type: application/json' -d '{"name": "x"}'
  $ api-contract-check explain openapi.yaml "curl 'http://localhost:8080/customers?limit=abc'"
  $ api-contract-check explain openapi.yaml --method POST --url /customers --data-file body.json --base-url http://localhost:8080 --send
  $ api-contract-check explain openapi.yaml --har session.har --entry 3

Exit codes: 0 the request conforms (and the server agrees), 1 it does not (or the server disagrees), 2 bad input.`;

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain why a request gets 400: check one request (curl, options or HAR) against its operation')
    .argument('<spec>', 'OpenAPI document, file or URL')
    .argument('[curl...]', 'a curl command after --, or the whole command as one quoted string')
    .option('--method <method>', 'HTTP method (default GET, or POST with --data)')
    .option('--url <url>', 'request URL, or a path with its query string')
    .option('--header <header>', '"Name: value" (repeatable)', collectHeader)
    .option('--data <body>', 'request body, as sent')
    .option('--data-file <file>', 'read the request body from a file')
    .option('--har <file>', 'a HAR file from the browser\'s developer tools: every entry, or --entry N')
    .option('--entry <n>', 'only this entry of the HAR file (1 is the first)', parsePositiveInt('--entry'))
    .option('--send', 'also send the request and compare the server\'s answer with the diagnosis')
    .option('--base-url <url>', 'where --send sends it (default: the request\'s own URL); its path is a base path')
    .option('--timeout <duration>', 'timeout for --send; a bare number is seconds (default 10s)', parseDuration('--timeout'))
    .option('--json', 'print JSON for machines')
    .option('--ref-map <file>', 'JSON list of {publicURL, localURL} to resolve remote $refs offline')
    .addOption(new Option('--no-color', 'no colour even on a terminal'))
    .addHelpText('after', EXAMPLES)
    .action(explainCommand);
}

export async function explainCommand(specPath: string, curlArgs: string[], opts: ExplainCliOptions): Promise<void> {
  const [{ loadSpec, readRefMap }, { createValidator }, { explainRequest, parseCurl, readHar }, { renderDiagnosis }] = await Promise.all([
    import('../spec/index.js'),
    import('../schema/validator.js'),
    import('../explain/index.js'),
    import('../explain/render.js'),
  ]);
  const requests = readRequests(curlArgs, opts, parseCurl, readHar);
  const spec = await loadSpec(specPath, { refMap: opts.refMap ? await readRefMap(opts.refMap) : undefined });
  const validator = createValidator(spec.schemas);
  const diagnoses: Diagnosis[] = [];
  for (const { input, recorded } of requests) {
    diagnoses.push(
      await explainRequest(spec, input, {
        validator,
        ...(opts.send ? { send: true } : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
        ...(recorded && !opts.send ? { recorded } : {}),
      }),
    );
  }
  if (opts.json) {
    const output = diagnoses.length === 1 ? diagnoses[0] : { diagnoses };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    const color = colorEnabled(process.stdout, opts.color);
    const specName = path.basename(specPath);
    process.stdout.write(diagnoses.map((d) => renderDiagnosis(d, { color, specName })).join('\n'));
  }
  process.exitCode = diagnoses.every(isClean) ? 0 : 1;
}

/** Conforms, and the server (when asked) did not contradict it. */
export function isClean(diagnosis: Diagnosis): boolean {
  const verdict = diagnosis.server?.verdict;
  return diagnosis.conforms && (verdict === undefined || verdict === 'agrees');
}

function readRequests(
  curlArgs: string[],
  opts: ExplainCliOptions,
  parseCurl: typeof import('../explain/index.js').parseCurl,
  readHar: typeof import('../explain/index.js').readHar,
): HarRequest[] {
  const sources = [curlArgs.length > 0, opts.url !== undefined, opts.har !== undefined].filter(Boolean).length;
  if (sources === 0) throw new InputError('explain: give a curl command (after --), or --url, or --har');
  if (sources > 1) throw new InputError('explain: give only one of a curl command, --url and --har');
  if (opts.entry !== undefined && opts.har === undefined) throw new InputError('--entry needs --har');
  if (opts.har !== undefined) return readHar(opts.har, opts.entry);
  if (curlArgs.length > 0) return [{ input: parseCurl(curlArgs) }];
  return [{ input: optionsRequest(opts) }];
}

function optionsRequest(opts: ExplainCliOptions): ExplainInput {
  if (opts.data !== undefined && opts.dataFile !== undefined) throw new InputError('--data and --data-file: give only one');
  let body: Uint8Array | undefined;
  if (opts.data !== undefined) body = new TextEncoder().encode(opts.data);
  if (opts.dataFile !== undefined) {
    try {
      body = new Uint8Array(readFileSync(opts.dataFile));
    } catch (error) {
      throw new InputError(`--data-file ${opts.dataFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  const method = (opts.method ?? (body ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new InputError(`--method '${opts.method}' is not an HTTP method`);
  const input: ExplainInput = { method, url: opts.url!, headers: Object.entries(opts.header ?? {}), origin: 'options' };
  if (body) input.body = body;
  return input;
}
