// A seeded, deterministic generator of permissions-policy cases for the
// permissions differential test (permissions-differential.test.mjs).
//
// Each case is one request (an action on a resource, with context keys) and a
// role's identity-based policies (one to three documents, optionally a
// permissions boundary): Allow and Deny, Action and NotAction, Resource and
// NotResource, action wildcards and case, resource wildcards (`*`, `?`, across
// `/`), policy variables (${aws:username}, ${aws:PrincipalTag/team}, with and
// without a default) and conditions on keys whose values the case gives or
// withholds. A withheld key has candidate values (and `undefined`, the key
// absent) that the engine is run with one by one.

import { rng } from './trustgen.mjs';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';

/** The requests' actions per service, and the resources each may be asked on. */
const SERVICES = {
  s3: {
    actions: ['GetObject', 'PutObject', 'DeleteObject', 'GetObjectTagging'],
    bucketActions: ['ListBucket', 'GetBucketPolicy'],
  },
  sqs: { actions: ['SendMessage', 'ReceiveMessage', 'SendMessageBatch'] },
  dynamodb: { actions: ['GetItem', 'PutItem', 'Query'] },
};
const BUCKETS = ['my-app-uploads', 'logs-prod', 'hr-bucket', 'home-bucket', 'team-bucket'];
const KEYS = ['a.txt', '2024/12/a.txt', 'alice/notes.txt', 'bob/notes.txt', 'payroll/x.csv', 'Payroll/x.csv', 'platform/runbook.md'];
const REGIONS = ['us-west-2', 'eu-west-1'];
const QUEUES = ['jobs', 'jobs-batch', 'audit'];
const TABLES = ['orders', 'users'];

/**
 * Keys conditions and variables use, with the values a case may give
 * (undefined: absent; irsa-gen does not assume any key present, so every
 * key may be). A withheld key is tried with every value that can
 * matter: those the conditions name and, for the keys that are variables in
 * resource paths, every first segment of KEYS, so that "there is a value that
 * changes the decision" (irsa-gen's Conditional) is something the engine's
 * runs can show.
 */
const SEGMENTS = ['alice', 'bob', '2024', 'payroll', 'Payroll', 'platform'];
export const KEY_VALUES = {
  'aws:username': [...SEGMENTS, undefined],
  'aws:PrincipalTag/team': [...SEGMENTS, 'data', undefined],
  's3:x-amz-server-side-encryption': ['aws:kms', 'AES256', undefined],
  'aws:SecureTransport': ['true', 'false', undefined],
  'aws:SourceIp': ['10.1.2.3', '192.0.2.7', undefined],
  'aws:RequestedRegion': ['us-west-2', 'eu-west-1', undefined],
};

/** Conditions, each on one key of KEY_VALUES. */
const CONDITIONS = [
  { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
  { StringEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
  { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { StringLike: { 'aws:PrincipalTag/team': 'plat*' } },
  { StringEquals: { 'aws:PrincipalTag/team': ['platform', 'data'] } },
  { Null: { 'aws:PrincipalTag/team': 'true' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { StringEquals: { 'aws:RequestedRegion': 'us-west-2' } },
  { StringEquals: { 'aws:username': 'alice' } },
];

function requestResource(r, service, action) {
  switch (service) {
    case 's3':
      return SERVICES.s3.bucketActions.includes(action)
        ? `arn:aws:s3:::${r.pick(BUCKETS)}`
        : `arn:aws:s3:::${r.pick(BUCKETS)}/${r.pick(KEYS)}`;
    case 'sqs':
      return `arn:aws:sqs:${r.pick(REGIONS)}:${r.chance(0.85) ? ACCOUNT : OTHER}:${r.pick(QUEUES)}`;
    default:
      return `arn:aws:dynamodb:${r.pick(REGIONS)}:${r.chance(0.85) ? ACCOUNT : OTHER}:table/${r.pick(TABLES)}`;
  }
}

function request(r) {
  const service = r.pick(Object.keys(SERVICES));
  const pool = service === 's3' ? [...SERVICES.s3.actions, ...SERVICES.s3.bucketActions] : SERVICES[service].actions;
  const name = r.pick(pool);
  return { service, name, action: `${service}:${name}`, resource: requestResource(r, service, name) };
}

/** An action pattern: often one that covers the request's action, in IAM's spellings. */
function actionPattern(r, req) {
  const { service, name } = req;
  const covering = [
    `${service}:${name}`,
    `${service.toUpperCase()}:${name.toLowerCase()}`,
    `${service}:${name.slice(0, 3)}*`,
    `${service}:*${name.slice(-4)}`,
    `${service}:*`,
    '*',
    `${service}:${name.slice(0, 1)}?${name.slice(2)}`,
  ];
  if (r.chance(0.6)) return r.pick(covering);
  const other = request(r);
  return r.pick([`${other.service}:${other.name}`, `${other.service}:${other.name.slice(0, 3)}*`, 'sqs:Send?essage', 's3:Get*']);
}

/** A resource pattern: often one that covers (or nearly covers) the request's resource. */
function resourcePattern(r, req) {
  return r.pick(nearResources(r.chance(0.75) ? req : request(r)));
}

/** Patterns that cover, or nearly cover, the resource of `req`. */
function nearResources(req) {
  const res = req.resource;
  const s3 = res.startsWith('arn:aws:s3:::') ? res.slice('arn:aws:s3:::'.length) : undefined;
  const near = [res, '*'];
  if (s3 !== undefined) {
    const bucket = s3.split('/')[0];
    near.push(
      `arn:aws:s3:::${bucket}`,
      `arn:aws:s3:::${bucket}/*`,
      `arn:aws:s3:::${bucket.toUpperCase()}/*`,
      'arn:aws:s3:::logs-????/*',
      'arn:aws:s3:::home-bucket/${aws:username}/*',
      "arn:aws:s3:::team-bucket/${aws:PrincipalTag/team, 'platform'}/*",
      'arn:aws:s3:::team-bucket/${aws:PrincipalTag/team}/*',
      'arn:aws:s3:::hr-bucket/payroll/*',
      `arn:aws:s3:::${bucket}/*/notes.txt`,
      `arn:aws:s3:::${bucket}/*.t?t`,
      'arn:aws:s3:::*',
    );
  } else {
    const [arn, partition, service, region, account, rest] = res.split(':');
    near.push(
      [arn, partition, service, '*', account, rest].join(':'),
      [arn, partition, service, region, ACCOUNT, `${rest.split('/')[0]}*`].join(':'),
      [arn, partition, service, region, OTHER, rest].join(':'),
      [arn, partition, service, region, account, rest.toUpperCase()].join(':'),
      [arn, partition, service, region, account, '*'].join(':'),
      [arn, partition, service, region, account, rest.includes('/') ? 'table/*' : 'jobs?batch'].join(':'),
    );
  }
  return near;
}

function list(r, make) {
  const n = r.chance(0.7) ? 1 : 2 + r.int(2);
  const values = Array.from({ length: n }, make);
  return n === 1 && r.chance(0.6) ? values[0] : values;
}

function statement(r, req, deny) {
  const st = { Effect: deny ? 'Deny' : 'Allow' };
  if (r.chance(0.5)) st.Sid = `S${r.int(1000)}`;
  st[r.chance(0.15) ? 'NotAction' : 'Action'] = list(r, () => actionPattern(r, req));
  st[r.chance(0.12) ? 'NotResource' : 'Resource'] = list(r, () => resourcePattern(r, req));
  if (r.chance(0.3)) {
    const condition = {};
    for (let i = 0; i < (r.chance(0.8) ? 1 : 2); i += 1) {
      const [op, keys] = Object.entries(r.pick(CONDITIONS))[0];
      condition[op] = { ...(condition[op] ?? {}), ...keys };
    }
    st.Condition = condition;
  }
  return st;
}

function policy(r, req, denyShare) {
  const n = 1 + r.int(3);
  return {
    Version: r.chance(0.95) ? '2012-10-17' : '2008-10-17',
    Statement: Array.from({ length: n }, () => statement(r, req, r.chance(denyShare))),
  };
}

/** The keys a set of policies reads (in conditions and in variables). */
function keysRead(docs) {
  const text = JSON.stringify(docs);
  return Object.keys(KEY_VALUES).filter((k) => text.toLowerCase().includes(k.toLowerCase()));
}

/** `count` cases from `seed`; the same seed gives the same cases. */
export function generate(seed, count) {
  const r = rng(seed);
  const cases = [];
  for (let index = 0; index < count; index += 1) {
    const req = request(r);
    if (r.chance(0.1)) req.action = req.action.toUpperCase();
    const policies = Array.from({ length: 1 + r.int(3) }, () => policy(r, req, 0.2));
    const boundary = r.chance(0.25) ? policy(r, req, 0.1) : undefined;
    const context = {};
    const withheld = {};
    for (const key of keysRead([policies, boundary])) {
      const candidates = KEY_VALUES[key];
      if (r.chance(0.7)) {
        const value = r.pick(candidates.slice(0, 3).filter((v) => v !== undefined));
        context[key] = value;
      } else {
        withheld[key] = candidates;
      }
    }
    cases.push({ index, action: req.action, resource: req.resource, policies, boundary, context, withheld });
  }
  return cases;
}
