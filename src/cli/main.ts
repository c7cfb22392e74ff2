// The command line: option definitions in help groups, and the subcommands. Only commander, the option
// parsers and the version are loaded up front; each command's code is imported when it runs, so that
// `--version` and `--help` start fast.
import { existsSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../errors.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { closest } from '../explain/similar.js';
import { endQuietlyOnBrokenPipe } from './terminal.js';
import { registerExplain } from './explain.js';
import { registerMerge } from './merge.js';
import {
  SCHEMATHESIS_ALIASES,
  collectApiKey,
  collectHeader,
  collectList,
  parseBasic,
  parseBytes,
  parseDuration,
  parsePositiveInt,
  parseRate,
  parseShard,
} from './options.js';

const EXAMPLES = `
Examples:
  $ ${TOOL_NAME} demo                                  # the bundled example API, started and tested
  $ ${TOOL_NAME} demo --misbehave no-location,html-404  # the same with two bugs switched on
  $ ${TOOL_NAME} openapi.yaml --base-url http://localhost:8080
  $ ${TOOL_NAME} openapi.yaml --base-url http://localhost:8080 --auth-bearer "$TOKEN" --junit reports/junit.xml
  $ ${TOOL_NAME} openapi.yaml --base-url http://localhost:8080 --report-json - | jq .summary
  $ ${TOOL_NAME} --config ci.config.yaml --shard 2/4 --tag customers
  $ ${TOOL_NAME} openapi.yaml --base-url http://localhost:8080 --baseline known-findings.json
  $ ${TOOL_NAME} operations openapi.yaml
  $ ${TOOL_NAME} list-checks

Durations: a bare number is seconds (--timeout 5); or 500ms, 10s, 2m. Sizes: bytes, or 512kb, 4mb, 1gb.
A report path of "-" is stdout (one report at most; the console text then goes to stderr).

Options may also come from api-contract-check.config.json (or .yaml) in the current directory, or
--config FILE (--no-config: neither): camelCase keys (baseUrl, authBearer, …) plus "spec"; \${ENV_VAR}
is substituted in the keys the command uses; the command line overrides the file.

Colour: on a terminal; NO_COLOR=1 or --no-color turns it off, FORCE_COLOR=1 turns it on in a pipe.

Exit codes: 0 no finding, 1 findings, 2 bad input or usage, 130/143 interrupted.`;

/** A repeatable option whose values are kept as given. */
function collectRepeated(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --operation, --exclude-operation, --tag, --path, --method: on the run and on the operations command. */
function addFilterOptions(command: Command): Command {
  return command
    .optionsGroup('Filters:')
    .option('--operation <id>', 'only this operation (repeatable; see the operations command for ids)', collectRepeated)
    .option('--exclude-operation <id>', 'never send this operation, not even in a stateful chain (repeatable)', collectRepeated)
    .option('--tag <tag>', 'only operations with this tag (repeatable)', collectRepeated)
    .option('--path <glob>', 'only operations whose path template matches, e.g. "/customers/**" (repeatable)', collectRepeated)
    .option('--method <method>', 'only operations with this HTTP method (repeatable)', collectRepeated);
}

/** The run's own options, one help group each. Other issues add theirs to the group they belong to. */
function addRunOptions(program: Command): void {
  program
    .optionsGroup('Target:')
    .option('--base-url <url>', 'the server to test, e.g. http://localhost:8080 (required)')
    .option('-H, --header <header>', 'extra header on every request, "Name: value" (repeatable; a list header given twice is joined, any other refused)', collectHeader)
    .option('--timeout <duration>', 'per-request timeout; a bare number is seconds (default 10s)', parseDuration('--timeout'))
    .option('--concurrency <n>', 'requests in flight at once (default 8)', parsePositiveInt('--concurrency'))
    .option('--rate <n/s>', 'at most this many requests per second (also n/m, n/h)', parseRate('--rate'))
    .option('--retry-after-max <duration>', 'longest Retry-After of a 429 waited before its one retry; bare number = seconds (default 30s)', parseDuration('--retry-after-max'))
    .option('--max-body <size>', 'cap on a response body: bytes, or kb, mb, gb (default 4mb)', parseBytes('--max-body'))
    .option('--ref-map <file>', 'JSON list of {publicURL, localURL} to resolve remote $refs offline')
    .option('--read-only', 'send only GET, HEAD and OPTIONS requests (shared environments); report what was skipped');

  program
    .optionsGroup('Cases:')
    .option('--seed <n>', 'seed for generated values: same seed, same cases, same order', parsePositiveInt('--seed', 0))
    .option('--max-positive <n>', 'positive cases per operation at most (default 5)', parsePositiveInt('--max-positive'))
    .option('--no-negative', 'send no negative cases (requests that break one constraint)')
    .option('--max-negative <n>', 'negative cases per operation at most (default 40)', parsePositiveInt('--max-negative'))
    .option('--mutations <families>', 'negative families: required,type,range,format,pattern,enum,length,items,properties,null,multipleOf,missing,malformed-body,media-type', collectList)
    .option('--no-auth-cases', 'send no requests without or with wrong credentials')
    .option('--no-method-cases', 'send no undocumented methods and no unknown path')
    .option('--no-stateful', 'run no create → read/update/delete chains')
    .option('--no-cleanup', 'keep what the stateful chains created')
    .addOption(new Option('--error-format <format>', 'rule for error bodies where the document is silent').choices(['problem', 'documented', 'none']))
    .option('--error-status-pointer <pointer>', 'JSON pointer of the error-body member that carries the HTTP status, e.g. /error/code');

  program
    .optionsGroup('Credentials:')
    .option('--auth-bearer <token>', 'bearer token for operations whose security asks for one')
    .option('--auth-basic <user:password>', 'HTTP basic credentials', parseBasic)
    .option('--auth-api-key <name=value>', 'API key by parameter or scheme name (repeatable)', collectApiKey)
    .option('--auth-bearer-limited <token>', 'a second bearer token with fewer scopes: secured operations needing another scope must answer 403')
    .option('--limited-scopes <scopes>', 'the scopes the limited token holds (comma-separated; default none)', collectList);

  program
    .optionsGroup('Reports (a path of "-" is stdout; directories are created):')
    .option('--report-json <file>', 'write the whole report as JSON')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--report-html <file>', 'write a self-contained HTML report')
    .option('--sarif <file>', 'write a SARIF 2.1.0 report (GitHub code scanning shows findings on the spec lines)')
    .option('--sarif-root <dir>', 'SARIF and annotation paths relative to this directory (default: the current one)')
    .option('--redact <names>', 'more header, query or cookie names whose values are secrets (comma-separated)', collectList)
    .option('--show-secrets', 'do not redact credentials in outputs (local debugging only)')
    .option('--verbose', 'show every finding in full, with response bodies')
    .option('--quiet', 'print only the summary line')
    .addOption(new Option('--no-color', 'no colour even on a terminal (or NO_COLOR=1; FORCE_COLOR=1 forces it)'));

  addFilterOptions(program)
    .option('--checks <ids>', 'run only these checks (comma-separated; see list-checks)', collectList)
    .option('--exclude-checks <ids>', 'skip these checks', collectList);

  program
    .optionsGroup('CI:')
    .option('--config <file>', 'read options from this file instead of api-contract-check.config.json/.yaml in the current directory')
    .option('--no-config', 'read no config file, not even the one in the current directory')
    .option('--shard <i/n>', 'run slice i of n of the (filtered) operations (CI job matrices)', parseShard)
    .option('--baseline <file>', 'known findings (written by --write-baseline): not reported; entries that no longer occur are listed')
    .option('--write-baseline <file>', 'write the findings of this run as a baseline');

  program.optionsGroup('Coming from Schemathesis (the same options under its names):');
  for (const alias of SCHEMATHESIS_ALIASES) {
    const option = new Option(alias.flags, `= ${alias.canonical}`);
    program.addOption(alias.parse ? option.argParser(alias.parse) : option);
  }
}

/** Moves a Schemathesis spelling's value to the option it stands for; both given is a usage error. */
function resolveAliases(command: Command): void {
  for (const alias of SCHEMATHESIS_ALIASES) {
    if (command.getOptionValueSource(alias.key) !== 'cli') continue;
    if (command.getOptionValueSource(alias.canonicalKey) === 'cli') {
      throw new InputError(`${alias.long} and ${alias.canonical} mean the same: give one`);
    }
    command.setOptionValueWithSource(alias.canonicalKey, command.getOptionValue(alias.key), 'cli');
    command.setOptionValueWithSource(alias.key, undefined, 'default');
  }
}

function buildProgram(): Command {
  const program = new Command();
  // before the subcommands exist, so that they inherit it
  program.exitOverride();
  program.configureOutput({
    // commander's errors as one line, named like ours: "api-contract-check: unknown option '--x' (did you mean --y?)"
    outputError: (text, write) => write(`${TOOL_NAME}: ${text.trim().replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)').replace(/\n/g, ' ')}\n`),
  });
  // options after a subcommand belong to it: `operations --path …` is the subcommand's filter, not the run's
  program.enablePositionalOptions();
  program
    .name(TOOL_NAME)
    .description('Test whether an HTTP API keeps its OpenAPI contract, error responses included.')
    .version(TOOL_VERSION, '-V, --version')
    .argument('[spec]', 'OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1): a file path or an http(s) URL (or "spec" in the config file)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError(false)
    .hook('preAction', (_root, action) => {
      if (action === program) resolveAliases(program);
    })
    .action(async (...args: Parameters<typeof import('./run.js').runCommand>) => (await import('./run.js')).runCommand(...args));
  addRunOptions(program);

  program.commandsGroup('Commands:');
  const operations = program
    .command('operations')
    .description('list the operations of a document, or those the filter options select: id, method, path, parameters, media types, statuses, security')
    .argument('[spec]', 'OpenAPI document, file or URL (or "spec" in the config file)')
    .option('--json', 'print JSON for machines')
    .option('--ref-map <file>', 'JSON list of {publicURL, localURL} to resolve remote $refs offline')
    .option('--config <file>', 'read spec, refMap and filters from this file instead of the one in the current directory')
    .option('--no-config', 'read no config file')
    .action(async (...args: Parameters<typeof import('./operations.js').operationsCommand>) => (await import('./operations.js')).operationsCommand(...args));
  addFilterOptions(operations);

  program
    .command('list-checks')
    .description('list every check: id, category, default severity, what it verifies')
    .option('--json', 'print JSON for machines')
    .action(async (opts: { json?: boolean }) => (await import('./list-checks.js')).listChecksCommand(opts));

  registerDemo(program);
  registerExplain(program);
  registerMerge(program);
  return program;
}

function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the bundled example API on a free port, test it with its own contract, stop it; any option but --misbehave goes to the run')
    .option('--misbehave <switches>', 'bugs to switch on, comma-separated (e.g. no-location,html-404; see the example API README)', collectList)
    .argument('[run-options...]', 'more options for the run, e.g. --report-html demo.html')
    .allowUnknownOption()
    .action(async (runArgs: string[], opts: { misbehave?: string[] }) => (await import('./demo.js')).demoCommand(runArgs, opts));
}

/**
 * `api-contract-check operation x.yaml` would be read as a spec named "operation" with one argument too
 * many: a first word close to a command's name, and not a file, is a misspelt command.
 */
function misspeltCommand(program: Command, argv: string[]): InputError | undefined {
  const first = argv[2];
  if (first === undefined || first.startsWith('-') || /[./\\:]/.test(first) || existsSync(first)) return undefined;
  const names = program.commands.map((c) => c.name());
  if (names.includes(first)) return undefined;
  const near = closest(first, names);
  return near ? new InputError(`unknown command '${first}' (did you mean ${near}?)`) : undefined;
}

/** One line on stderr and exit 2 for bad input; the stack trace only with ACC_DEBUG=1. */
function fail(error: unknown): never {
  if (error instanceof InputError) {
    process.stderr.write(`${TOOL_NAME}: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof CommanderError) {
    // commander already printed its one-line message (or the help / version)
    const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exit(ok ? 0 : 2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${TOOL_NAME}: internal error: ${message.split('\n')[0]}\n`);
  if (process.env['ACC_DEBUG']) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  process.exit(3);
}

export async function main(argv: string[]): Promise<void> {
  endQuietlyOnBrokenPipe();
  try {
    const program = buildProgram();
    const misspelt = misspeltCommand(program, argv);
    if (misspelt) throw misspelt;
    await program.parseAsync(argv);
  } catch (error) {
    fail(error);
  }
}

await main(process.argv);
