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
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { simulate } from 'irsa-gen';
import { generate } from './trustgen.mjs';
import { compare, summary, verdictOver } from './differential-harness.mjs';
import { CLI, FIXTURES } from './helpers.mjs';
import { generate as generateSessions, TARGET as SESSION_TARGET } from './sessiongen.mjs';

const require = createRequire(import.meta.url);
const { runUnsafeSimulation } = require('@cloud-copilot/iam-simulate');
const { createValidatedPolicy, validateIdentityPolicy, validateTrustPolicy } = require('@cloud-copilot/iam-policy');

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

// The chained migration (tests/fixtures/migrate/cross-account*/chained,
// issue 19): at every moment of each plan, the target role's trust is asked
// whether a session of the source role (and of near misses: another role of
// the cluster's account, the source role's name in two other accounts) may
// call sts:AssumeRole and sts:TagSession with EKS Pod Identity's six session
// tags. irsa-gen answers through `irsa-gen simulate --principal-role-arn`
// (core's eval::simulate_session); the engine is called as that role's
// session (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION) on the target role,
// the trust its resource policy, once per action (the call needs both), with
// what such a request carries: aws:PrincipalArn (the role's ARN),
// aws:PrincipalAccount, aws:PrincipalType, aws:SecureTransport, the tags as
// aws:RequestTag/KEY and aws:TagKeys. The caller's own identity policy allows
// both actions on the target, so the trust alone decides, as irsa-gen's
// trust-side answer does (its notes say what the caller's side must allow);
// without it the engine denies the cross-account call, and with the plan's
// own source-role.permissions.json it allows it.
const CHAIN = {
  cluster: 'arn:aws:eks:us-west-2:111122223333:cluster/prod',
  issuer: 'https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B',
  target: 'arn:aws:iam::444455556666:role/s3-writer',
  source: 'arn:aws:iam::111122223333:role/s3-writer-pod-identity',
  nearMisses: [
    'arn:aws:iam::111122223333:role/s3-reader-pod-identity',
    'arn:aws:iam::999988887777:role/s3-writer-pod-identity',
    'arn:aws:iam::444455556666:role/s3-writer-pod-identity',
  ],
  tags: {
    'eks-cluster-arn': 'arn:aws:eks:us-west-2:111122223333:cluster/prod',
    'eks-cluster-name': 'prod',
    'kubernetes-namespace': 'payments',
    'kubernetes-service-account': 's3-writer',
    'kubernetes-pod-name': 's3-writer-7d9f8b6c5-x2x4q',
    'kubernetes-pod-uid': '0f6a3c1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b',
  },
};

/** A plan's files as `irsa-gen migrate` prints them: path -> text. */
function planFiles(stdout) {
  const files = new Map();
  let path = null;
  for (const line of stdout.split('\n')) {
    const m = /^==> (.+) <==$/.exec(line);
    if (m) {
      path = m[1];
      files.set(path, []);
    } else if (path) files.get(path).push(line);
  }
  return new Map([...files].map(([p, lines]) => [p, lines.join('\n').trimEnd() + '\n']));
}

/** Each chained plan's moments: { at, trust, chain } (chain: the pods use or keep the chain then). */
function chainMoments() {
  const out = [];
  for (const [folder, to] of [['cross-account', 'pod-identity'], ['cross-account-back', 'irsa']]) {
    const dir = join(FIXTURES, 'migrate', folder, 'chained');
    const args = ['migrate', '--to', to, '--trust', 'trust.json', '--issuer', CHAIN.issuer, '--cluster-arn', CHAIN.cluster,
      '--target-role-arn', CHAIN.target];
    if (existsSync(join(dir, 'source-trust.json'))) args.push('--source-trust', 'source-trust.json');
    const run = spawnSync(CLI, args, { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, `${folder}: ${run.stderr}`);
    const files = planFiles(run.stdout);
    const start = readFileSync(join(dir, 'trust.json'), 'utf8');
    const [p1, p3] = ['phase-1/trust.json', 'phase-3/trust.json'].map((f) => files.get(f));
    assert.ok(p1 && p3, `${folder}: the plan has no phase trusts`);
    // To Pod Identity the chain starts at phase 1; going back it ends after phase 2.
    const back = folder.endsWith('-back');
    // Going to Pod Identity the plan makes the source role and its permissions.
    const callerPolicy = files.get('phase-1/source-role.permissions.json');
    out.push(
      { at: `${folder} before`, trust: start, chain: back },
      { at: `${folder} phase 1`, trust: p1, chain: true },
      { at: `${folder} phase 2`, trust: p1, chain: true },
      { at: `${folder} phase 3`, trust: p3, chain: back ? null : true },
    );
    for (const m of out.slice(-4)) m.callerPolicy = callerPolicy && JSON.parse(callerPolicy);
  }
  return out;
}

/**
 * The engine: a session of `roleArn` calling sts:AssumeRole (and, with
 * `tags`, sts:TagSession) on the target role; `callerSide` false leaves out
 * the caller's identity policy (which allows both actions on the target, or
 * is `callerPolicy`).
 */
function engineOnSession(trust, roleArn, { callerSide = true, callerPolicy, tags = CHAIN.tags, target = CHAIN.target, context = {} } = {}) {
  const [, partition, , , account, resource] = roleArn.split(':');
  const name = resource.split('/').pop();
  const tagKeys = Object.keys(tags);
  const contextVariables = {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': 'AssumedRole',
    'aws:SecureTransport': 'true',
    ...(tagKeys.length ? { 'aws:TagKeys': tagKeys } : {}),
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    ...Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)),
  };
  const actions = tagKeys.length ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  const allow = callerPolicy ?? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: target }] };
  const identity = callerSide ? [{ name: 'caller', policy: createValidatedPolicy(allow, validateIdentityPolicy, { name: 'caller' }) }] : [];
  const decisions = actions.map((action) => runUnsafeSimulation({
    identityPolicies: identity,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(JSON.parse(trust), validateTrustPolicy, { name: 'trust' }),
    request: {
      principal: `arn:${partition}:sts::${account}:assumed-role/${name}/eks-prod-s3-writer`,
      action,
      resource: { resource: target, accountId: target.split(':')[4] },
      contextVariables,
    },
  }, {}));
  return decisions.every((d) => d === 'Allowed') ? 'Allow' : 'Deny';
}

/** irsa-gen: `simulate --principal-role-arn` with the same tags, the target named. */
function oursOnSession(trust, roleArn, { tags = CHAIN.tags, target = CHAIN.target } = {}) {
  const args = ['simulate', '--trust', '-', '--principal-role-arn', roleArn, '--role-arn', target, '--format', 'json',
    ...Object.entries(tags).flatMap(([k, v]) => ['--session-tag', `${k}=${v}`])];
  const run = spawnSync(CLI, args, { input: trust, encoding: 'utf8' });
  assert.notEqual(run.status, 2, run.stderr);
  return JSON.parse(run.stdout);
}

test('differential: the chained plans\' target trusts admit the source role at every moment, in both engines', (t) => {
  let cases = 0;
  let agreed = 0;
  let nearMisses = 0;
  const tally = { Allow: 0, Deny: 0 };
  let withPlanPermissions = 0;
  const disagreements = [];
  for (const m of chainMoments()) {
    for (const role of [CHAIN.source, ...CHAIN.nearMisses]) {
      const engine = engineOnSession(m.trust, role);
      const ours = oursOnSession(m.trust, role);
      cases += 1;
      tally[engine] += 1;
      if (engine === ours.decision) agreed += 1;
      else disagreements.push({ at: m.at, role, engine, ours: ours.decision, reason: ours.reason });
      if (role === CHAIN.source && m.chain) {
        assert.equal(ours.decision, 'Allow', `${m.at}: irsa-gen does not admit the source role: ${ours.reason}`);
        // The caller's side, which irsa-gen leaves to a note: the engine
        // denies the cross-account call without the source role's identity policy.
        assert.equal(engineOnSession(m.trust, role, { callerSide: false }), 'Deny', `${m.at}: the engine admits without the caller's policy`);
        assert.ok(ours.notes.some((n) => n.startsWith('cross-account (111122223333 to 444455556666)')), `${m.at}: ${ours.notes}`);
        // With the plan's own permissions for the source role, the whole cross-account call is allowed.
        if (m.callerPolicy) {
          assert.equal(engineOnSession(m.trust, role, { callerPolicy: m.callerPolicy }), 'Allow', `${m.at}: the plan's source-role permissions`);
          withPlanPermissions += 1;
        }
      }
      if (role !== CHAIN.source) {
        assert.equal(ours.decision, 'Deny', `${m.at}: ${role} is admitted`);
        nearMisses += 1;
      }
    }
  }
  const line = `chain differential: ${cases} cases (${cases - nearMisses} source role, ${nearMisses} near misses; engine: ${tally.Allow} Allow, ${tally.Deny} Deny), ${agreed} agree, ${disagreements.length} disagree`;
  t.diagnostic(line);
  console.log(line);
  for (const d of disagreements) console.log(JSON.stringify(d));
  assert.equal(disagreements.length, 0);
  // Two plans, four moments, the source role and three near misses; the
  // source role is admitted at the six moments that use or keep the chain
  // (and going back, at phase 3 too, where the statement stays).
  assert.equal(cases, 32);
  assert.equal(withPlanPermissions, 3, 'phases 1 to 3 of the plan to Pod Identity');
  assert.ok(tally.Allow >= 6, `the engine admits the source role too rarely: ${JSON.stringify(tally)}`);
});

// Generated role trusts (sessiongen.mjs) for generated role sessions, decided
// the same two ways: every disagreement fails the test unless
// SESSION_EXCEPTIONS lists it with the reason that decides it.
const SESSION_SEED = 20261203;
const SESSION_CASES = 1000;

const SESSION_EXCEPTIONS = [
  {
    id: 'one-unknown-key-read-twice',
    // As in permissions-differential.test.mjs: irsa-gen decides each
    // condition on its own, so a key it does not know (aws:PrincipalTag/team,
    // the caller's role's tag) read by two conditions that can never hold
    // together (StringEquals and StringNotEquals of one value) is
    // Conditional, an honest "cannot tell", where the engine, trying every
    // value, finds that none changes the decision. Listed only when irsa-gen
    // says Conditional, the engine one decision, and the key it names is
    // withheld and read at least twice.
    applies: ({ c, ours, engine }) => ours.decision === 'Conditional' && engine !== 'Conditional'
      && ours.result.dependsOn.some((k) => Object.keys(c.withheld).includes(k)
        && JSON.stringify(c.policy).split(k).length - 1 >= 2),
  },
];

test(`differential: ${SESSION_CASES} generated role trusts for role sessions against @cloud-copilot/iam-simulate`, (t) => {
  const cases = generateSessions(SESSION_SEED, SESSION_CASES);
  const r = compare(cases, {
    engine: (c) => verdictOver(c.withheld, (context) => engineOnSession(JSON.stringify(c.policy), c.caller.roleArn,
      { tags: c.caller.tags, target: SESSION_TARGET, context })),
    ours: (c) => {
      const result = oursOnSession(JSON.stringify(c.policy), c.caller.roleArn, { tags: c.caller.tags, target: SESSION_TARGET });
      return { decision: result.decision, result };
    },
    exceptions: SESSION_EXCEPTIONS,
  });
  for (const line of summary('role session differential', r)) {
    t.diagnostic(line);
    console.log(line);
  }
  for (const { c, ours, engine } of r.unlisted.slice(0, 5)) {
    console.log(JSON.stringify({ index: c.index, caller: c.caller.roleArn, tags: Object.keys(c.caller.tags).length, ours: ours.decision, engine, reason: ours.result.reason, policy: c.policy }));
  }
  assert.ok(r.tally.Allow > SESSION_CASES / 10 && r.tally.Deny > SESSION_CASES / 10 && r.tally.Conditional > 0, `a mix of decisions: ${JSON.stringify(r.tally)}`);
  assert.equal(r.unlisted.length, 0, `${r.unlisted.length} disagreements (first cases printed above)`);
});
