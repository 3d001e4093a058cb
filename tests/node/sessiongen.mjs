// A seeded, deterministic generator of role trusts and the role sessions that
// call sts:AssumeRole on them (role chaining, cross-account), for the role
// session differential of differential.test.mjs.
//
// Each case: a caller (a role of one of three accounts, with or without a
// path, with or without EKS Pod Identity's session tags, which make the call
// need sts:TagSession too), and a trust of one to three statements for the
// target role: Allow and Deny; principals naming the caller's role exactly,
// another role, the account (as its ID or :root), another account, everyone;
// the actions people write; conditions on the keys such a request carries
// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
// aws:RequestTag/..., aws:TagKeys). Left out on purpose, as the engines read
// them differently and IAM refuses or the docs leave them open: NotPrincipal
// (refused in a role trust), wildcards inside principal ARNs (refused),
// assumed-role session principals (decided by a session name the case does
// not have). A key only IAM knows (aws:PrincipalTag/team) is withheld: the
// engine is run with each of its values and without it.
import { rng } from './trustgen.mjs';

export const TARGET = 'arn:aws:iam::444455556666:role/s3-writer';
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const ROLES = ['s3-writer-pod-identity', 'ci-deploy', 'platform/ops/audit-reader'];
/** The session tags EKS Pod Identity passes. */
export const EKS_TAGS = {
  'eks-cluster-arn': 'arn:aws:eks:us-west-2:111122223333:cluster/prod',
  'eks-cluster-name': 'prod',
  'kubernetes-namespace': 'payments',
  'kubernetes-service-account': 's3-writer',
  'kubernetes-pod-name': 's3-writer-7d9f8b6c5-x2x4q',
  'kubernetes-pod-uid': '0f6a3c1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b',
};
const ACTIONS = [
  'sts:AssumeRole', ['sts:AssumeRole', 'sts:TagSession'], 'sts:*', 'sts:TagSession', 'sts:AssumeRoleWithWebIdentity',
  ['sts:AssumeRole', 'sts:SetSourceIdentity'], 'sts:Assume*',
];

const roleArn = (account, role) => `arn:aws:iam::${account}:role/${role}`;

function principal(r, caller) {
  const account = r.pick(ACCOUNTS);
  const one = () => r.pick([
    caller.roleArn,
    caller.roleArn,
    roleArn(caller.account, r.pick(ROLES)),
    roleArn(account, r.pick(ROLES)),
    caller.account,
    `arn:aws:iam::${caller.account}:root`,
    account,
    `arn:aws:iam::${account}:root`,
  ]);
  switch (r.int(6)) {
    case 0: return '*';
    case 1: return { AWS: '*' };
    case 2: return { AWS: [one(), one()] };
    default: return { AWS: one() };
  }
}

function condition(r, caller) {
  const other = roleArn(r.pick(ACCOUNTS), r.pick(ROLES));
  const choices = [
    () => ({ ArnEquals: { 'aws:PrincipalArn': r.pick([caller.roleArn, other]) } }),
    () => ({ ArnLike: { 'aws:PrincipalArn': r.pick([`arn:aws:iam::${caller.account}:role/*`, 'arn:aws:iam::*:role/ci-*', `arn:aws:iam::${r.pick(ACCOUNTS)}:role/platform/*`]) } }),
    () => ({ StringLike: { 'aws:PrincipalArn': r.pick(['*pod-identity', 'arn:aws:iam::4444*', '*:role/ci-???????']) } }),
    () => ({ ArnNotEquals: { 'aws:PrincipalArn': r.pick([caller.roleArn, other]) } }),
    () => ({ [r.pick(['StringEquals', 'StringNotEquals'])]: { 'aws:PrincipalAccount': r.pick([[caller.account], ACCOUNTS.slice(0, 2), [r.pick(ACCOUNTS)]]) } }),
    () => ({ StringEquals: { 'aws:PrincipalType': r.pick(['AssumedRole', 'User']) } }),
    () => ({ [r.pick(['StringEquals', 'StringEqualsIfExists', 'StringNotEquals', 'StringLike'])]: { 'aws:RequestTag/kubernetes-namespace': r.pick(['payments', 'billing', 'pay*']) } }),
    () => ({ StringEquals: { 'aws:RequestTag/eks-cluster-arn': r.pick([EKS_TAGS['eks-cluster-arn'], 'arn:aws:eks:us-west-2:111122223333:cluster/staging']) } }),
    () => ({ [r.pick(['ForAllValues:StringEquals', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike'])]: { 'aws:TagKeys': r.pick([Object.keys(EKS_TAGS), ['kubernetes-*', 'eks-*'], ['kubernetes-namespace'], ['team']]) } }),
    () => ({ Null: { [r.pick(['aws:RequestTag/kubernetes-namespace', 'aws:PrincipalArn', 'aws:SourceAccount'])]: r.pick(['true', 'false']) } }),
    // A key only IAM knows: the case withholds it (WITHHELD), irsa-gen says Conditional where it matters.
    () => ({ [r.pick(['StringEquals', 'StringNotEquals', 'StringEqualsIfExists'])]: { 'aws:PrincipalTag/team': r.pick(['platform', 'payments']) } }),
  ];
  const block = {};
  for (let i = 0; i < 1 + r.int(2); i++) {
    for (const [op, keys] of Object.entries(r.pick(choices)())) block[op] = { ...(block[op] ?? {}), ...keys };
  }
  return block;
}

/** The values a case's withheld key may have (undefined: the role has no such tag). */
export const WITHHELD = { 'aws:PrincipalTag/team': ['platform', 'payments', undefined] };

/** `count` cases from `seed`: { index, policy, caller: { roleArn, account, tags }, withheld }. */
export function generate(seed, count) {
  const r = rng(seed);
  const cases = [];
  for (let index = 0; index < count; index++) {
    const account = r.pick(ACCOUNTS);
    const caller = { account, roleArn: roleArn(account, r.pick(ROLES)), tags: r.chance(0.6) ? EKS_TAGS : {} };
    const statements = [];
    for (let i = 0; i < 1 + r.int(3); i++) {
      const st = { Effect: r.chance(0.75) ? 'Allow' : 'Deny', Principal: principal(r, caller), Action: r.pick(ACTIONS) };
      if (r.chance(0.5)) st.Condition = condition(r, caller);
      statements.push(st);
    }
    const policy = { Version: '2012-10-17', Statement: statements };
    const withheld = JSON.stringify(policy).includes('aws:PrincipalTag/team') ? WITHHELD : {};
    cases.push({ index, caller, policy, withheld });
  }
  return cases;
}
