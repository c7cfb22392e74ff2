// Identities: named holders of credentials, static or obtained by a flow and refreshed when they expire.
import type { ApiSpec } from '../model.js';
import type { Credentials, LimitedIdentity } from '../plan/index.js';
import { InputError } from '../errors.js';
import type { IdentityConfig, IdentityRole } from './config.js';
import { FlowFailure } from './http.js';
import { loginFlow, oauth2Flow, placementOf, type FlowContext, type ObtainedToken, type TokenFlow, type TokenPlacement } from './flows.js';

export interface Identity {
  name: string;
  role: IdentityRole;
  /** the scopes it holds (for the 403 cases: an operation needing another scope must refuse it) */
  scopes: string[];
  /** true when a flow obtains its token, so that refresh() gets a new one */
  refreshable: boolean;
  /** current, refreshed first when the token has expired (or is about to) */
  credentials(): Promise<Credentials>;
  /** forced, e.g. after a 401; concurrent calls share one flow request. InputError when the flow fails */
  refresh(): Promise<void>;
  /** the token (or static value) a request should carry now; undefined before the first flow */
  currentToken(): string | undefined;
  /** every token it ever held, oldest first (static values included), for matching and for redaction */
  tokenValues(): string[];
  /** every secret it knows: tokens, passwords, client secrets, API keys (for the report's scrubbing) */
  secretValues(): string[];
}

export interface IdentityContext extends FlowContext {
  /** epoch milliseconds; tests share one clock with the server to expire tokens without waiting */
  clock?: () => number;
}

/** Refresh this long before the announced expiry: a tenth of the lifetime, at most 30 s. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(30_000, lifetimeMs / 10);
}

/** After a failed flow, the same failure is given for this long instead of asking the server again. */
export const FAILED_FLOW_RETRY_MS = 5_000;

/** Secrets shorter than this would scrub innocent text and hide nothing worth hiding. */
const MIN_SECRET_LENGTH = 4;

// members of a login body that name someone rather than prove it: not scrubbed from reports
const PUBLIC_BODY_KEYS = /^(user(_?name)?|login|email|grant_type|scope|client_id|tenant|realm|audience|remember(_?me)?)$/i;
const SECRET_HEADER = /authorization|cookie|token|secret|key|password|passwd|session|auth/i;

function stringLeaves(value: unknown, key: string | undefined, out: string[]): void {
  if (typeof value === 'string') {
    if (key === undefined || !PUBLIC_BODY_KEYS.test(key)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) stringLeaves(item, key, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) stringLeaves(v, k, out);
  }
}

function basicToken(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

/** The secrets a config names (not the tokens it will obtain). */
export function configSecrets(config: IdentityConfig): string[] {
  const out: string[] = [];
  if (config.bearer) out.push(config.bearer);
  if (config.basic) out.push(config.basic.password, basicToken(config.basic.username, config.basic.password));
  out.push(...Object.values(config.apiKey ?? {}));
  if (config.login) {
    stringLeaves(config.login.body, undefined, out);
    stringLeaves(config.login.form, undefined, out);
    for (const [name, value] of Object.entries(config.login.headers ?? {})) if (SECRET_HEADER.test(name)) out.push(value);
  }
  const oauth2 = config.oauth2;
  if (oauth2) {
    if (oauth2.clientSecret) out.push(oauth2.clientSecret, basicToken(oauth2.clientId, oauth2.clientSecret));
    if (oauth2.password) out.push(oauth2.password);
  }
  return [...new Set(out)].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** Every scope the document's security requirements name, in document order. */
export function documentScopes(spec: ApiSpec): string[] {
  const scopes = new Set<string>();
  for (const op of spec.operations) for (const alternative of op.security) for (const { scopes: s } of alternative) for (const scope of s) scopes.add(scope);
  return [...scopes];
}

function staticCredentials(config: IdentityConfig): Credentials {
  const creds: Credentials = {};
  if (config.bearer) creds.bearer = config.bearer;
  if (config.basic) creds.basic = { user: config.basic.username, password: config.basic.password };
  if (config.apiKey) creds.apiKeys = { ...config.apiKey };
  return creds;
}

function withToken(base: Credentials, placement: TokenPlacement, token: string): Credentials {
  if (placement.as === 'bearer') return { ...base, bearer: token };
  return { ...base, apiKeys: { ...(base.apiKeys ?? {}), [placement.scheme]: `${placement.prefix}${token}` } };
}

function checkSchemes(config: IdentityConfig, spec: ApiSpec, name: string): void {
  for (const scheme of config.schemes ?? []) {
    if (!(scheme in spec.securitySchemes)) {
      throw new InputError(`identity "${name}": schemes: the document has no security scheme '${scheme}' (it has: ${Object.keys(spec.securitySchemes).join(', ') || 'none'})`);
    }
  }
}

/** Where a flow's token goes: the flow's own `scheme`, else the first of the identity's `schemes` a token fits. */
function flowPlacement(config: IdentityConfig, flow: TokenFlow, spec: ApiSpec, pointer: string): TokenPlacement {
  if (config.login?.scheme !== undefined || config.oauth2 !== undefined) return flow.placement;
  for (const scheme of config.schemes ?? []) {
    try {
      return placementOf(scheme, spec, `${pointer}/schemes`, config.login?.prefix);
    } catch {
      // a basic scheme among the identity's schemes takes its static value, not the token
    }
  }
  return flow.placement;
}

function roleOf(config: IdentityConfig, scopes: string[] | undefined, all: string[], name: string): IdentityRole {
  if (config.role === 'limited' && scopes === undefined) {
    throw new InputError(`identity "${name}": role limited needs 'scopes' (the scopes it holds) so that the 403 cases know what it lacks`);
  }
  if (config.role) return config.role;
  if (scopes === undefined) return 'full';
  return all.every((scope) => scopes.includes(scope)) ? 'full' : 'limited';
}

interface Held {
  token: string;
  obtainedAt: number;
  expiresAt?: number;
  grantedScopes?: string[];
}

/** An identity whose token comes from a flow: obtained by open(), renewed by refresh(). */
class FlowIdentity implements Identity {
  role: IdentityRole = 'full';
  scopes: string[] = [];
  readonly refreshable = true;
  private held: Held | undefined;
  private readonly history: string[] = [];
  private pending: Promise<void> | undefined;
  private failure: { at: number; error: InputError } | undefined;

  constructor(
    readonly name: string,
    private readonly config: IdentityConfig,
    private readonly flow: TokenFlow,
    private readonly placement: TokenPlacement,
    private readonly clock: () => number,
  ) {}

  private expired(now: number): boolean {
    const held = this.held;
    if (!held) return true;
    if (held.expiresAt === undefined) return false;
    return now >= held.expiresAt - refreshMarginMs(held.expiresAt - held.obtainedAt);
  }

  private accept(obtained: ObtainedToken, at: number): void {
    this.held = {
      token: obtained.token,
      obtainedAt: at,
      expiresAt: obtained.expiresInSeconds === undefined ? undefined : at + obtained.expiresInSeconds * 1000,
      grantedScopes: obtained.grantedScopes,
    };
    if (!this.history.includes(obtained.token)) this.history.push(obtained.token);
  }

  /** The scopes it holds as far as we know: configured, else granted, else requested. */
  knownScopes(): string[] | undefined {
    return this.config.scopes ?? this.held?.grantedScopes ?? this.flow.requestedScopes;
  }

  refresh(): Promise<void> {
    if (this.pending) return this.pending;
    const now = this.clock();
    if (this.failure && now - this.failure.at < FAILED_FLOW_RETRY_MS) return Promise.reject(this.failure.error);
    this.pending = this.flow
      .obtain()
      .then(
        (obtained) => {
          this.failure = undefined;
          this.accept(obtained, now);
        },
        (error: unknown) => {
          const message = error instanceof FlowFailure ? error.message : `${this.flow.describe} failed`;
          const failure = new InputError(`identity "${this.name}": ${message}`);
          this.failure = { at: now, error: failure };
          throw failure;
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  async credentials(): Promise<Credentials> {
    if (this.expired(this.clock())) await this.refresh();
    return withToken(staticCredentials(this.config), this.placement, this.held!.token);
  }

  currentToken(): string | undefined {
    return this.held?.token;
  }

  tokenValues(): string[] {
    return [...this.history];
  }

  secretValues(): string[] {
    return [...new Set([...configSecrets(this.config), ...this.history])].filter((s) => s.length >= MIN_SECRET_LENGTH);
  }
}

/** An identity with fixed values (bearer, basic, API keys): nothing to refresh. */
export function staticIdentity(name: string, config: IdentityConfig, role: IdentityRole, scopes: string[]): Identity {
  const creds = staticCredentials(config);
  const values = [...(config.bearer ? [config.bearer] : []), ...Object.values(config.apiKey ?? {})];
  return {
    name,
    role,
    scopes,
    refreshable: false,
    credentials: async () => creds,
    refresh: async () => undefined,
    currentToken: () => config.bearer ?? values[0],
    tokenValues: () => [...values],
    secretValues: () => configSecrets(config),
  };
}

function flowOf(config: IdentityConfig, ctx: FlowContext, pointer: string): TokenFlow | undefined {
  if (config.login) return loginFlow(config.login, ctx, `${pointer}/login`);
  if (config.oauth2) return oauth2Flow(config.oauth2, ctx, `${pointer}/oauth2`);
  return undefined;
}

/**
 * Builds every identity and runs every flow now (in parallel). Anything wrong — a scheme the document lacks,
 * a token URL on another origin, a login that fails — is an InputError naming the identity, before any case.
 */
export async function openIdentities(configs: Record<string, IdentityConfig>, ctx: IdentityContext): Promise<Identity[]> {
  const clock = ctx.clock ?? (() => Date.now());
  const all = documentScopes(ctx.spec);
  const built: Array<{ identity: Identity; flow?: FlowIdentity }> = [];
  for (const [name, config] of Object.entries(configs)) {
    const pointer = `identities/${name}`;
    checkSchemes(config, ctx.spec, name);
    let flow: TokenFlow | undefined;
    try {
      flow = flowOf(config, ctx, pointer);
    } catch (error) {
      if (error instanceof FlowFailure) throw new InputError(`identity "${name}": ${error.message}`);
      throw error;
    }
    if (!flow) {
      built.push({ identity: staticIdentity(name, config, roleOf(config, config.scopes, all, name), config.scopes ?? all) });
      continue;
    }
    const placement = flowPlacement(config, flow, ctx.spec, pointer);
    const identity = new FlowIdentity(name, config, flow, placement, clock);
    built.push({ identity, flow: identity });
  }
  const outcomes = await Promise.allSettled(built.map(({ flow }) => flow?.refresh()));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason instanceof InputError ? failed.reason : new InputError(`identities: ${String(failed.reason)}`);
  for (const { flow } of built) {
    if (!flow) continue;
    const scopes = flow.knownScopes();
    flow.role = roleOf(configs[flow.name]!, scopes, all, flow.name);
    flow.scopes = scopes ?? all;
  }
  return built.map(({ identity }) => identity);
}

/** What the planner needs: the credentials of the positive cases, and the limited identity of the 403 cases. */
export interface IdentityPlan {
  credentials: Credentials;
  limited?: LimitedIdentity;
  /** names of the identities behind `credentials` and `limited` */
  full: string[];
  limitedName?: string;
  /** identities left out, and why (for the report's warnings) */
  warnings: string[];
}

function mergeInto(target: Credentials, source: Credentials, names: { target: string; source: string }): void {
  const clash = (what: string): InputError =>
    new InputError(`identities "${names.target}" and "${names.source}" both give ${what} for the positive cases; mark one of them role: limited`);
  if (source.bearer !== undefined) {
    if (target.bearer !== undefined && target.bearer !== source.bearer) throw clash('a bearer token');
    target.bearer = source.bearer;
  }
  if (source.basic !== undefined) {
    if (target.basic !== undefined) throw clash('basic credentials');
    target.basic = source.basic;
  }
  for (const [key, value] of Object.entries(source.apiKeys ?? {})) {
    if (target.apiKeys?.[key] !== undefined && target.apiKeys[key] !== value) throw clash(`API key '${key}'`);
    target.apiKeys = { ...(target.apiKeys ?? {}), [key]: value };
  }
}

/**
 * Credentials for planning: every full identity together (one may give the bearer token, another the API
 * key), and the first limited identity for the 403 cases. Call it when planning starts; tokens that expire
 * later are swapped at send time by the AuthSession.
 */
export async function planIdentities(identities: Identity[]): Promise<IdentityPlan> {
  const plan: IdentityPlan = { credentials: {}, full: [], warnings: [] };
  for (const identity of identities.filter((i) => i.role === 'full')) {
    mergeInto(plan.credentials, await identity.credentials(), { target: plan.full.join('", "'), source: identity.name });
    plan.full.push(identity.name);
  }
  const limited = identities.filter((i) => i.role === 'limited');
  const first = limited[0];
  if (first) {
    plan.limited = { credentials: await first.credentials(), scopes: first.scopes };
    plan.limitedName = first.name;
  }
  for (const other of limited.slice(1)) {
    plan.warnings.push(`identity "${other.name}" (limited) not used: the 403 cases take one limited identity ("${first!.name}")`);
  }
  if (plan.full.length === 0 && identities.length > 0) {
    plan.warnings.push('no identity holds every scope (role full): positive cases of secured operations are not covered');
  }
  return plan;
}

/** Every secret of every identity so far. Tokens change during a run: call it when the report is written. */
export function identitySecrets(identities: Identity[]): string[] {
  return [...new Set(identities.flatMap((identity) => identity.secretValues()))];
}
