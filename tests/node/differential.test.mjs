// The differential test: thousands of generated trust policies and tokens
// (trustgen.mjs), each decided by irsa-gen's `simulate` (the installed npm
// package) and by an independent IAM engine, @cloud-copilot/iam-simulate
// (pinned in the workspace's package.json; scripts/test.d/npm.sh links it in).
//
// The engine is called the way it models a role's trust: the request's
// principal is the OIDC provider STS resolves (the token's issuer in the role's
// own account and partition), the action sts:AssumeRoleWithWebIdentity, the
// resource the role, the trust policy its resource policy, no identity
// policies. The request context carries what a web-identity request carries
// (AWS's "Available keys for OIDC federation" and global condition keys):
// ISSUER:sub, ISSUER:aud, aws:FederatedProvider, aws:SecureTransport = true,
// and the caller-only keys the case gives. runUnsafeSimulation is used
// because the validating runSimulation drops context keys the STS service
// reference does not list, and an EKS issuer's ISSUER:sub is not listed there
// (only fixed hosts such as accounts.google.com:sub are).
//
// Every disagreement fails the test unless EXCEPTIONS lists it with the AWS
// documentation that decides it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { simulate } from 'irsa-gen';
import { generate } from './trustgen.mjs';
import { compare, summary, verdictOver } from './differential-harness.mjs';

const require = createRequire(import.meta.url);
const { runUnsafeSimulation } = require('@cloud-copilot/iam-simulate');
const { createValidatedPolicy, validateTrustPolicy } = require('@cloud-copilot/iam-policy');

const SEED = 20240613;
const CASES = 6000;

/**
 * Disagreements decided by AWS's documentation, each with the page that decides
 * it and a predicate on { c, ours, engine }. Keep it empty when nothing needs it.
 */
const EXCEPTIONS = [
  {
    id: 'plain-ip-address-is-a-/32-block',
    // "If you specify an IP address without the associated routing prefix, IAM
    // uses the default prefix value of /32" (IP address condition operators,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress).
    // The engine reads a plain IPv4 address apart from a /32 block: an IPv6
    // caller is outside 198.51.100.0/32 for NotIpAddress, but not outside
    // 198.51.100.7. The case is listed when the engine agrees with irsa-gen once
    // each plain address is written with its default prefix.
    applies: ({ c, ours }) => {
      const withPrefix = (v) => (typeof v === 'string' && /^[0-9a-f.:]+$/i.test(v) && !v.includes('/') ? `${v}/${v.includes(':') ? 128 : 32}` : v);
      const rewrite = (block) => Object.fromEntries(Object.entries(block).map(([op, keys]) => [op,
        /IpAddress/.test(op) ? Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, Array.isArray(v) ? v.map(withPrefix) : withPrefix(v)])) : keys]));
      const statements = [c.policy.Statement].flat().map((st) => (st.Condition ? { ...st, Condition: rewrite(st.Condition) } : st));
      const rewritten = { ...c, policy: { ...c.policy, Statement: statements } };
      return JSON.stringify(rewritten.policy) !== JSON.stringify(c.policy) && engineVerdict(rewritten) === ours.decision;
    },
  },
];

const hostOf = (c) => c.world.cluster.host;
const ownProvider = (c) => `arn:${c.world.partition}:iam::${c.world.account}:oidc-provider/${hostOf(c)}`;

/** The engine's decision for one case and one set of caller-only values. */
function engineDecision(c, callerValues) {
  const contextVariables = {
    [`${hostOf(c)}:sub`]: `system:serviceaccount:${c.token.namespace}:${c.token.serviceAccount}`,
    [`${hostOf(c)}:aud`]: c.token.audience,
    'aws:FederatedProvider': ownProvider(c),
    'aws:SecureTransport': 'true',
    ...callerValues,
  };
  const result = runUnsafeSimulation({
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(c.policy, validateTrustPolicy, { name: 'trust' }),
    request: {
      principal: ownProvider(c),
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: c.world.roleArn, accountId: c.world.account },
      contextVariables,
    },
  }, {});
  return result === 'Allowed' ? 'Allow' : 'Deny';
}

/** What the engine says: one decision, or Conditional when the withheld keys change it. */
function engineVerdict(c) {
  return verdictOver(c.withheld, (a) => engineDecision(c, { ...c.context, ...a }));
}

let legacy = false;
function oursVerdict(c) {
  const claims = {
    namespace: c.token.namespace,
    serviceAccount: c.token.serviceAccount,
    audience: c.token.audience,
    issuer: `https://${hostOf(c)}`,
  };
  const full = {
    ...claims,
    ...(c.role === 'roleArn' ? { roleArn: c.world.roleArn } : { account: c.world.account }),
    context: Object.fromEntries(Object.entries(c.context).map(([k, v]) => [k, [v]])),
  };
  let result;
  try {
    result = simulate(JSON.stringify(c.policy), legacy ? claims : full);
  } catch (e) {
    // A module from before roleArn and context (kept to measure the old figures).
    if (!(e instanceof TypeError) || legacy) throw e;
    legacy = true;
    result = simulate(JSON.stringify(c.policy), claims);
  }
  if (!result.ok) return { decision: 'Unreadable', result };
  return { decision: result.decision, result };
}

test(`differential: ${CASES} generated trusts against @cloud-copilot/iam-simulate`, (t) => {
  const cases = generate(SEED, CASES);
  assert.ok(cases.length >= 5000);
  const { unlisted, ...r } = compare(cases, { engine: engineVerdict, ours: oursVerdict, exceptions: EXCEPTIONS });
  for (const line of summary('differential', { unlisted, ...r }, legacy ? ' (module without roleArn/context)' : '')) {
    t.diagnostic(line);
    console.log(line);
  }
  for (const { c, ours, engine } of unlisted.slice(0, 5)) {
    console.log(JSON.stringify({ index: c.index, role: c.world.roleArn, issuer: hostOf(c), token: c.token, context: c.context, withheld: Object.keys(c.withheld), ours: ours.decision, engine, reason: ours.result.results?.map((r) => r.reason) ?? ours.result.diagnostics, policy: c.policy }));
  }
  assert.equal(unlisted.length, 0, `${unlisted.length} disagreements not listed in EXCEPTIONS (first cases printed above)`);
});
