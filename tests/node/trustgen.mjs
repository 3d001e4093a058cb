// A seeded, deterministic generator of realistic IRSA trust policies and the
// tokens presented to them, for the differential test (differential.test.mjs).
//
// Each case is one AssumeRoleWithWebIdentity request: a role (partition and
// account), a trust policy, and a ServiceAccount token from one cluster. The
// policies are what people write and get wrong: several clusters and accounts,
// Allow and Deny, every string operator with ForAnyValue/ForAllValues and
// IfExists, Null, key names in other cases, single values and lists, policy
// variables, wildcard principals, Date/IpAddress/Numeric/Bool/Arn conditions on
// the keys STS sets and on keys only the caller knows.

/** mulberry32: a small, well-known 32-bit PRNG; the same seed gives the same cases everywhere. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (list) => list[int(list.length)],
    chance: (p) => next() < p,
  };
}

/** The clusters whose tokens are presented: issuer host and the partition of its region. */
export const CLUSTERS = [
  { host: 'oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7', partition: 'aws' },
  { host: 'oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF', partition: 'aws' },
  { host: 'oidc.eks.eu-west-1.amazonaws.com/id/5C0DE5C0DE5C0DE5C0DE5C0DE5C0DE50', partition: 'aws' },
  { host: 'oidc.eks.cn-north-1.amazonaws.com.cn/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0', partition: 'aws-cn' },
  { host: 'oidc.eks.us-gov-west-1.amazonaws.com/id/AB12CD34EF56AB12CD34EF56AB12CD34', partition: 'aws-us-gov' },
];
export const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const NAMESPACES = ['production', 'staging', 'kube-system'];
const SERVICE_ACCOUNTS = ['s3-writer', 'app', 'external-dns'];
const AUDIENCES = ['sts.amazonaws.com', 'sts.amazonaws.com', 'sts.amazonaws.com', 'my-audience'];

/** Operators of the string family, each with whether `*`/`?` are wildcards. */
const STRING_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
];

/** Keys only the caller knows, each with values a condition compares and candidate request values. */
const CALLER_KEYS = {
  'aws:SourceIp': {
    operators: ['IpAddress', 'NotIpAddress'],
    values: [['10.0.0.0/8'], ['192.0.2.0/24', '198.51.100.7'], ['2001:db8::/32']],
    candidates: ['10.1.2.3', '192.0.2.44', '203.0.113.9', '2001:db8::1'],
  },
  'aws:CurrentTime': {
    operators: ['DateGreaterThan', 'DateLessThan', 'DateGreaterThanEquals', 'DateLessThanEquals', 'DateEquals', 'DateNotEquals'],
    values: [['2025-01-01T00:00:00Z'], ['2030-06-30T12:00:00Z'], ['2024-02-29T23:59:59Z', '2026-01-01T00:00:00Z']],
    candidates: ['2020-01-01T00:00:00Z', '2024-06-01T00:00:00Z', '2027-03-15T08:30:00Z', '2031-01-01T00:00:00Z'],
  },
  'aws:EpochTime': {
    operators: ['NumericLessThan', 'NumericGreaterThanEquals', 'NumericEquals', 'NumericNotEquals'],
    values: [['1735689600'], ['1893456000', '1700000000']],
    candidates: ['1600000000', '1800000000', '1900000000'],
  },
  'sts:RoleSessionName': {
    operators: ['StringLike', 'StringEquals', 'StringNotLike'],
    values: [['botocore-session-*'], ['aws-sdk-js-*', 'app-*']],
    candidates: ['botocore-session-1700000000', 'aws-sdk-js-1700000000', 'manual'],
  },
};

function caseVariant(r, key) {
  switch (r.int(6)) {
    case 0: return key.toUpperCase();
    case 1: return key.toLowerCase();
    case 2: return key.replace(/:sub$/, ':SUB').replace(/:aud$/, ':Aud');
    default: return key;
  }
}

const providerArn = (partition, account, host) => `arn:${partition}:iam::${account}:oidc-provider/${host}`;

function principal(r, world) {
  const roll = r.int(100);
  if (roll < 3) return '*';
  if (roll < 6) return { AWS: '*' };
  const one = () => {
    const host = r.chance(0.8) ? world.cluster.host : r.pick(CLUSTERS).host;
    const account = r.chance(0.8) ? world.account : r.pick(ACCOUNTS);
    const partition = r.chance(0.9) ? world.partition : r.pick(PARTITIONS);
    return providerArn(partition, account, host);
  };
  return { Federated: r.chance(0.15) ? [one(), one()] : one() };
}

function action(r) {
  return r.pick([
    'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithWebIdentity',
    ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'], 'sts:AssumeRole*', 'sts:*', 'sts:AssumeRole',
  ]);
}

/** A sub value for a condition: exact, a neighbour, a pattern, a case variant or a policy variable. */
function subValue(r, world, host) {
  const ns = r.chance(0.7) ? world.namespace : r.pick(NAMESPACES);
  const sa = r.chance(0.7) ? world.serviceAccount : r.pick(SERVICE_ACCOUNTS);
  switch (r.int(12)) {
    case 0: return `system:serviceaccount:${ns}:*`;
    case 1: return 'system:serviceaccount:*';
    case 2: return `system:serviceaccount:${ns}:${sa.slice(0, -1)}?`;
    case 3: return `SYSTEM:ServiceAccount:${ns.toUpperCase()}:${sa}`;
    case 4: return `\${${host}:sub}`;
    case 5: return `system:serviceaccount:\${aws:username}:${sa}`;
    case 6: return `system:serviceaccount:\${aws:username, '${ns}'}:${sa}`;
    default: return `system:serviceaccount:${ns}:${sa}`;
  }
}

function audValue(r) {
  return r.pick(['sts.amazonaws.com', 'sts.amazonaws.com', 'sts.amazonaws.com.cn', 'my-audience', 'sts.*', '*']);
}

function listOrString(r, make) {
  if (r.chance(0.3)) return [make(), make()];
  return make();
}

/** One condition entry: [operator, key, value(s)], and the caller key it depends on, if any. */
function condition(r, world, statementHost) {
  const host = r.chance(0.85) ? statementHost : r.pick(CLUSTERS).host;
  const roll = r.int(100);
  if (roll < 12) {
    const [name, spec] = r.pick(Object.entries(CALLER_KEYS));
    const op = r.pick(spec.operators) + (r.chance(0.15) ? 'IfExists' : '');
    const values = r.pick(spec.values);
    return { entry: [op, caseVariant(r, name), values.length === 1 ? values[0] : values], callerKey: name };
  }
  if (roll < 18) {
    const key = r.pick([`${host}:sub`, `${host}:aud`, `${host}:amr`, 'aws:RequestTag/team', 'aws:FederatedProvider']);
    return { entry: ['Null', caseVariant(r, key), r.pick(['true', 'false'])] };
  }
  if (roll < 22) {
    return { entry: [r.pick(['Bool', 'BoolIfExists']), caseVariant(r, 'aws:SecureTransport'), r.pick(['true', 'false'])] };
  }
  if (roll < 27) {
    const own = providerArn(world.partition, world.account, world.cluster.host);
    const value = r.pick([own, `arn:${world.partition}:iam::${world.account}:oidc-provider/*`,
      `arn:*:iam::*:oidc-provider/${host}`, providerArn(world.partition, r.pick(ACCOUNTS), host)]);
    const op = r.pick(['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringLike', 'StringEquals']);
    return { entry: [op + (r.chance(0.1) ? 'IfExists' : ''), caseVariant(r, 'aws:FederatedProvider'), value] };
  }
  const set = r.pick(['', '', '', '', 'ForAnyValue:', 'ForAllValues:']);
  const op = set + r.pick(STRING_OPERATORS) + (r.chance(0.2) ? 'IfExists' : '');
  const which = r.int(100);
  if (which < 60) return { entry: [op, caseVariant(r, `${host}:sub`), listOrString(r, () => subValue(r, world, host))] };
  if (which < 85) return { entry: [op, caseVariant(r, `${host}:aud`), listOrString(r, () => audValue(r))] };
  if (which < 92) return { entry: [op, caseVariant(r, `${host}:amr`), 'authenticated'] };
  return { entry: [op, caseVariant(r, r.pick(['aws:SourceAccount', 'aws:PrincipalTag/team', 'aws:SourceArn'])), listOrString(r, () => r.pick(['111122223333', 'team-a', 'arn:aws:eks:*']))] };
}

function statement(r, world, callerKeys) {
  const p = principal(r, world);
  const fed = typeof p === 'object' && p.Federated ? [p.Federated].flat()[0] : undefined;
  const statementHost = fed ? fed.slice(fed.indexOf('oidc-provider/') + 'oidc-provider/'.length) : world.cluster.host;
  const s = { Effect: r.chance(0.78) ? 'Allow' : 'Deny', Principal: p, Action: action(r) };
  const n = r.pick([0, 1, 1, 2, 2, 2, 3]);
  const block = {};
  for (let i = 0; i < n; i++) {
    const { entry: [op, key, value], callerKey } = condition(r, world, statementHost);
    if (callerKey) callerKeys.add(callerKey);
    block[op] ??= {};
    block[op][key] = value;
  }
  if (n > 0) s.Condition = block;
  return s;
}

/**
 * Case `index` of the stream seeded `seed`: { world, policy, token, context, withheld }.
 * `world` is the role (partition, account, ARN) and the cluster; `context` the
 * caller-only keys given to both evaluators; `withheld` the caller-only keys the
 * policy uses that are not given, each with candidate values.
 */
export function generate(seed, count) {
  const r = rng(seed);
  const cases = [];
  for (let index = 0; index < count; index++) {
    const cluster = r.pick(CLUSTERS);
    const account = r.pick(ACCOUNTS);
    const world = {
      cluster,
      account,
      partition: cluster.partition,
      roleArn: `arn:${cluster.partition}:iam::${account}:role/${r.pick(['S3WriterRole', 'external-dns', 'app-role'])}`,
      namespace: r.pick(NAMESPACES),
      serviceAccount: r.pick(SERVICE_ACCOUNTS),
    };
    const callerKeys = new Set();
    const statements = Array.from({ length: r.pick([1, 1, 2, 2, 3]) }, () => statement(r, world, callerKeys));
    const policy = { Version: '2012-10-17', Statement: statements.length === 1 && r.chance(0.2) ? statements[0] : statements };
    const token = {
      namespace: r.chance(0.8) ? world.namespace : r.pick(NAMESPACES),
      serviceAccount: r.chance(0.8) ? world.serviceAccount : r.pick(SERVICE_ACCOUNTS),
      audience: r.pick(AUDIENCES),
    };
    const context = {};
    const withheld = {};
    for (const key of [...callerKeys].sort()) {
      if (r.chance(0.75)) context[key] = r.pick(CALLER_KEYS[key].candidates);
      // Every value a condition names is a boundary: with the candidates, the
      // withheld values reach every outcome a condition can have.
      else withheld[key] = [...new Set([...CALLER_KEYS[key].candidates, ...CALLER_KEYS[key].values.flat()])];
    }
    const role = r.int(10) < 8 ? 'roleArn' : 'account';
    cases.push({ index, world, role, policy, token, context, withheld });
  }
  return cases;
}
