// Identities from the config file: static credentials, login and OAuth2 flows, refresh at send time.
export { parseIdentities } from './config.js';
export type { IdentityConfig, IdentityRole, LoginConfig, OAuth2Config, OAuth2Grant } from './config.js';
export { openIdentities, planIdentities, identitySecrets, staticIdentity, documentScopes, refreshMarginMs } from './identities.js';
export type { Identity, IdentityContext, IdentityPlan } from './identities.js';
export { createAuthSession } from './refresh.js';
export type { AuthSession } from './refresh.js';
