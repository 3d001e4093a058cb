// `migrate` and `migrateTrust` from the installed package (the full module
// only): every fixture of tests/fixtures/migrate planned as `irsa-gen
// migrate` plans it, byte for byte, its phases and blockers, and the calls
// that are mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { migrate, migrateTrust } from 'irsa-gen';
import * as generatePart from 'irsa-gen/generate';
import * as checkPart from 'irsa-gen/check';
import { CLI, FIXTURES, walk } from './helpers.mjs';

const ROOT = join(FIXTURES, 'migrate');

/** Every fixture planned from a spec: { name, dir, to, spec, workloads }
 * (the specs whose roles are in another account than their cluster, planned
 * as role chains, beside the chain's trust fixtures). */
function fixtures() {
  const names = readdirSync(ROOT).filter((n) => existsSync(join(ROOT, n, 'spec.yaml'))).sort();
  if (names.length < 10) throw new Error(`expected the migrate fixtures in ${ROOT}, found ${names}`);
  names.push('cross-account/from-spec', 'cross-account-back/from-spec');
  return names.map((name) => {
    const dir = join(ROOT, name);
    const read = (f) => readFileSync(join(dir, f), 'utf8');
    const workloads = existsSync(join(dir, 'workloads.yaml')) ? [{ name: 'workloads.yaml', text: read('workloads.yaml') }] : [];
    return { name, dir, to: read('to').trim(), spec: read('spec.yaml'), workloads };
  });
}

/** `irsa-gen migrate --to TO -f spec.yaml [workloads.yaml] --format json` in the fixture's folder. */
function cli(f) {
  const args = ['migrate', '--to', f.to, '-f', 'spec.yaml', ...f.workloads.map((w) => w.name), '--format', 'json'];
  const run = spawnSync(CLI, args, { cwd: f.dir, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, diagnostics: reported(run.stderr) };
}

/** The diagnostics of the CLI's `--format json` reports on stderr. */
function reported(stderr) {
  // Each report is one JSON object from a `{` line to a `}` line (the spec's, then the plan's).
  const diagnostics = [];
  let block = null;
  for (const line of stderr.split('\n')) {
    if (line === '{') block = [];
    if (block) block.push(line);
    if (line === '}' && block) {
      diagnostics.push(...JSON.parse(block.join('\n')).diagnostics);
      block = null;
    }
  }
  return diagnostics;
}

/** A plan's files as the CLI prints them without --output-dir. */
function printed(files) {
  return files.map((f) => `==> ${f.path} <==\n${f.text}${f.text.endsWith('\n') ? '' : '\n'}`).join('');
}

const ofFixture = (f) => migrate(f.spec, { to: f.to, file: 'spec.yaml', workloads: f.workloads });

test('migrate is in the full module only', () => {
  assert.equal(typeof migrate, 'function');
  assert.equal('migrate' in generatePart, false);
  assert.equal('migrate' in checkPart, false);
});

test('every fixture: the same plan, byte for byte, and the same findings as the CLI', () => {
  for (const f of fixtures()) {
    const result = ofFixture(f);
    const run = cli(f);
    if (result.ok) {
      assert.equal(run.status, 0, f.name);
      assert.equal(printed(result.files), run.stdout, f.name);
      assert.deepEqual([...result.warnings, ...result.diagnostics], run.diagnostics, f.name);
    } else {
      assert.notEqual(run.status, 0, f.name);
      assert.equal(run.stdout, '', f.name);
      assert.deepEqual(result.diagnostics, run.diagnostics, f.name);
    }
  }
});

test('single-cluster to Pod Identity: three phases, each with apply and rollback, in PLAN.md', () => {
  const f = fixtures().find((x) => x.name === 'single-cluster');
  const result = ofFixture(f);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  assert.equal(result.direction, 'to-pod-identity');
  assert.deepEqual(result.phases.map((p) => p.number), [1, 2, 3]);
  for (const p of result.phases) {
    const paths = p.files.map((x) => x.path);
    assert.ok(paths.includes(`phase-${p.number}/apply.sh`), `${p.number}: ${paths}`);
    assert.ok(paths.includes(`phase-${p.number}/rollback.sh`), `${p.number}: ${paths}`);
    assert.ok(p.title.length > 0);
  }
  // The files are PLAN.md then the phases' own, in order.
  assert.equal(result.files[0].path, 'PLAN.md');
  assert.deepEqual(result.files.slice(1), result.phases.flatMap((p) => p.files));
  for (const p of result.phases) assert.ok(result.files[0].text.includes(`## Phase ${p.number}: ${p.title}`));
  // Phase 2 restarts the workloads given beside the spec.
  const apply2 = result.phases[1].files.find((x) => x.path === 'phase-2/apply.sh').text;
  assert.match(apply2, /rollout restart/);
  assert.match(apply2, /statefulset\/ledger/);
  // Notes, never an error, beside a plan.
  assert.ok(result.diagnostics.every((d) => d.severity !== 'error'));
  assert.ok(result.diagnostics.some((d) => d.code === 'MIG050'));
});

test('the way back: to IRSA', () => {
  const f = fixtures().find((x) => x.name === 'single-cluster-back');
  const result = ofFixture(f);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  assert.equal(result.direction, 'to-irsa');
  assert.equal(result.phases.length, 3);
});

test('blockers: a Failure with the MIG code, placed in the file it is in', () => {
  const code = (name) => {
    const result = ofFixture(fixtures().find((x) => x.name === name));
    assert.equal(result.ok, false, name);
    assert.equal('phases' in result, false, name);
    return result.diagnostics.filter((d) => d.severity === 'error');
  };
  const fargate = code('fargate-blocked');
  assert.deepEqual(fargate.map((d) => d.code), ['MIG010']);
  assert.equal(fargate[0].file, 'workloads.yaml');
  assert.ok(fargate[0].line > 0);
  assert.deepEqual(code('windows-blocked').map((d) => d.code), ['MIG010']);
  assert.deepEqual(code('pattern-blocked').map((d) => d.code), ['MIG020']);
  const there = code('already-there');
  assert.deepEqual(there.map((d) => d.code), ['MIG002']);
  assert.equal(there[0].file, 'spec.yaml');
  assert.ok(there[0].line > 0);
  assert.ok(code('no-cluster-name').every((d) => d.code === 'MIG001'));
});

test('a spec object plans as its text does, without positions', () => {
  const f = fixtures().find((x) => x.name === 'single-cluster');
  const object = {
    accountId: '111122223333', region: 'us-west-2',
    cluster: 'https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B',
    clusterName: 'prod', identityType: 'irsa',
    bindings: [{ namespace: 'payments', serviceAccount: 's3-writer',
      permissions: { s3: [{ bucket: 'payments-exports', access: 'write' }] },
      workload: { name: 'exporter', image: 'public.ecr.aws/example/exporter:1.0' } }],
  };
  const a = migrate(object, { to: 'pod-identity', workloads: f.workloads });
  const b = ofFixture(f);
  assert.equal(a.ok, true, JSON.stringify(a.diagnostics));
  assert.deepEqual(a.files, b.files);
  assert.ok(a.diagnostics.every((d) => d.line === null));
});

test('mistakes: an invalid spec and an unreadable workload are Failures; bad options throw a TypeError', () => {
  const bad = migrate('accountId: "12345"\n', { to: 'pod-identity', file: 'bad.yaml' });
  assert.equal(bad.ok, false);
  assert.ok(bad.diagnostics.some((d) => d.code.startsWith('SPEC') && d.file === 'bad.yaml'));
  const f = fixtures().find((x) => x.name === 'single-cluster');
  const unreadable = migrate(f.spec, { to: 'pod-identity', workloads: [{ name: 'broken.yaml', text: 'a: [' }] });
  assert.equal(unreadable.ok, false);
  assert.deepEqual(unreadable.diagnostics.map((d) => [d.code, d.file]), [['IRSA401', 'broken.yaml']]);
  assert.throws(() => migrate(f.spec), TypeError);
  assert.throws(() => migrate(f.spec, {}), TypeError);
  assert.throws(() => migrate(f.spec, { to: 'both' }), TypeError);
  assert.throws(() => migrate(f.spec, { to: 'irsa', output: 'x' }), TypeError);
  assert.throws(() => migrate(f.spec, { to: 'irsa', workloads: 'deploy.yaml' }), TypeError);
});

// The trust route: the issuer and cluster of cli/tests/cli_migrate*.rs, which
// the fixtures' READMEs and `args` files are written against.
const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B';
const CLUSTER_ARN = 'arn:aws:eks:us-west-2:111122223333:cluster/prod';

/**
 * Every fixture planned from a trust: each folder (from-trust, from-trust-back,
 * cross-account, cross-account-back, ...) holds cases with a `trust.json`, an
 * optional `source-trust.json` and `args` (flag and value, one a line); a
 * group named `*-back` goes to IRSA. { name, dir, to, trust, sourceTrust, args }.
 */
function trustFixtures() {
  const groups = readdirSync(ROOT).filter((n) => !existsSync(join(ROOT, n, 'spec.yaml'))).sort();
  const out = [];
  for (const group of groups) {
    const cases = readdirSync(join(ROOT, group)).filter((c) => existsSync(join(ROOT, group, c, 'trust.json'))).sort();
    assert.ok(cases.length > 0, `${group}: neither a spec fixture nor a folder of trust cases`);
    for (const c of cases) {
      const dir = join(ROOT, group, c);
      const read = (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
      const args = (read('args') ?? '').split('\n').filter(Boolean);
      out.push({ name: `${group}/${c}`, dir, to: group.endsWith('-back') ? 'irsa' : 'pod-identity', trust: read('trust.json'), sourceTrust: read('source-trust.json'), args });
    }
  }
  if (out.length < 15) throw new Error(`expected the trust fixtures under ${ROOT}, found ${out.map((f) => f.name)}`);
  return out;
}

/** `--target-role-arn ARN` -> { targetRoleArn: ARN }. */
function optionsOf(f) {
  const options = { to: f.to, issuer: ISSUER, clusterArn: CLUSTER_ARN, file: 'trust.json' };
  if (f.sourceTrust !== null) options.sourceTrust = f.sourceTrust;
  for (let i = 0; i < f.args.length; i += 2) {
    const key = f.args[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase());
    options[key] = f.args[i + 1];
  }
  return options;
}

/** `irsa-gen migrate --to TO --trust trust.json (or the case's trustFile) [--source-trust ...] --issuer --cluster-arn ARGS --output-dir` in the case's folder. */
function cliTrust(f) {
  const out = mkdtempSync(join(tmpdir(), 'irsa-migrate-trust-'));
  try {
    const source = f.sourceTrust === null ? [] : ['--source-trust', 'source-trust.json'];
    const args = ['migrate', '--to', f.to, '--trust', f.trustFile ?? 'trust.json', ...source, '--issuer', ISSUER, '--cluster-arn', CLUSTER_ARN, ...f.args,
      '--format', 'json', '--output-dir', join(out, 'plan')];
    const run = spawnSync(CLI, args, { cwd: f.dir, encoding: 'utf8' });
    const files = existsSync(join(out, 'plan')) ? walk(join(out, 'plan')) : {};
    return { status: run.status, stderr: run.stderr, files, diagnostics: reported(run.stderr) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('every trust and chain fixture: the same files as the CLI\'s --output-dir, byte for byte, and the same findings', () => {
  let planned = 0;
  for (const f of trustFixtures()) {
    const result = migrateTrust(f.trust, optionsOf(f));
    const run = cliTrust(f);
    assert.deepEqual(result.diagnostics, run.diagnostics, f.name);
    if (result.ok) {
      planned += 1;
      assert.equal(run.status, 0, `${f.name}: ${run.stderr}`);
      assert.deepEqual(Object.fromEntries(result.files.map((x) => [x.path, x.text])), run.files, f.name);
      assert.deepEqual(result.files.map((x) => x.path), [...new Set(result.files.map((x) => x.path))], `${f.name}: one file a path`);
    } else {
      assert.equal(run.status, 1, `${f.name}: ${run.stderr}`);
      assert.deepEqual(run.files, {}, f.name);
      assert.ok(result.diagnostics.some((d) => d.severity === 'error'), f.name);
    }
  }
  assert.ok(planned >= 8, `${planned} planned`);
});

test('migrateTrust: a trust alone gives the two phase trusts; a chain its three phases over PLAN.md', () => {
  const all = trustFixtures();
  const single = migrateTrust(all.find((f) => f.name === 'from-trust/single').trust, { to: 'pod-identity', issuer: ISSUER, clusterArn: CLUSTER_ARN });
  assert.equal(single.ok, true, JSON.stringify(single.diagnostics));
  assert.equal(single.direction, 'to-pod-identity');
  assert.deepEqual(single.phases, []);
  assert.deepEqual(single.files.map((f) => f.path), ['phase-1/trust.json', 'phase-3/trust.json']);
  assert.match(single.files[0].text, /pods\.eks\.amazonaws\.com/);
  const chain = all.find((f) => f.name === 'cross-account/chained');
  const chained = migrateTrust(chain.trust, optionsOf(chain));
  assert.equal(chained.ok, true, JSON.stringify(chained.diagnostics));
  assert.deepEqual(chained.phases.map((p) => p.number), [1, 2, 3]);
  assert.equal(chained.files[0].path, 'PLAN.md');
  assert.deepEqual(chained.files.slice(1), chained.phases.flatMap((p) => p.files));
  // Without the target role the same trust is another account's: blocked (MIG033), placed in no file without `file`.
  const other = migrateTrust(chain.trust, { to: 'pod-identity', issuer: ISSUER, clusterArn: CLUSTER_ARN });
  assert.equal(other.ok, false);
  assert.ok(other.diagnostics.some((d) => d.code === 'MIG033' && d.file === null));
  const back = all.find((f) => f.name === 'cross-account-back/chained');
  const backed = migrateTrust(back.trust, optionsOf(back));
  assert.equal(backed.ok, true, JSON.stringify(backed.diagnostics));
  assert.equal(backed.direction, 'to-irsa');
});

test('migrateTrust: what the CLI refuses as usage is a TypeError; an unreadable trust a Failure', () => {
  const trust = trustFixtures().find((f) => f.name === 'from-trust/single').trust;
  const target = 'arn:aws:iam::444455556666:role/s3-writer';
  const base = { issuer: ISSUER, clusterArn: CLUSTER_ARN };
  assert.throws(() => migrateTrust(trust), TypeError);
  assert.throws(() => migrateTrust({ Version: '2012-10-17' }, { to: 'pod-identity', issuer: ISSUER }), TypeError);
  assert.throws(() => migrateTrust(trust, { to: 'pod-identity' }), TypeError, 'no issuer');
  assert.throws(() => migrateTrust(trust, { to: 'irsa', issuer: ISSUER }), /clusterArn/);
  assert.throws(() => migrateTrust(trust, { to: 'pod-identity', issuer: ISSUER, targetRoleArn: target }), /clusterArn/);
  assert.throws(() => migrateTrust(trust, { ...base, to: 'pod-identity', sourceRoleName: 'x' }), /targetRoleArn/);
  assert.throws(() => migrateTrust(trust, { ...base, to: 'pod-identity', targetRoleArn: target, sourceTrust: '{}' }), /sourceTrust/);
  assert.throws(() => migrateTrust(trust, { ...base, to: 'irsa', targetRoleArn: target }), /sourceTrust/);
  assert.throws(() => migrateTrust(trust, { ...base, to: 'pod-identity', trust: 'x' }), TypeError, 'an unknown option');
  const broken = migrateTrust('{"Statement": [', { ...base, to: 'pod-identity', file: 'role.json' });
  assert.equal(broken.ok, false);
  assert.ok(broken.diagnostics.length > 0 && broken.diagnostics.every((d) => d.file === 'role.json'));
});

/**
 * The files people have (tests/fixtures/migrate-from-file: a Terraform file, a
 * CloudFormation template, an `aws iam` dump, one a folder with an optional
 * `args`): migrateTrust given the file's name plans what `irsa-gen migrate
 * --trust FILE` writes, byte for byte, with the same findings.
 */
function fileFixtures() {
  const root = join(FIXTURES, 'migrate-from-file');
  return readdirSync(root).sort().map((name) => {
    const dir = join(root, name);
    const file = readdirSync(dir).find((f) => f !== 'args');
    const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').split('\n').filter(Boolean) : [];
    const to = args.includes('irsa') ? 'irsa' : 'pod-identity';
    const rest = args.filter((a, i) => !(a === '--to' || args[i - 1] === '--to'));
    return { name, dir, file, text: readFileSync(join(dir, file), 'utf8'), to, sourceTrust: null, args: rest };
  });
}

test('every Terraform, CloudFormation and dump fixture: the same plan as the CLI\'s --trust FILE', () => {
  let planned = 0;
  const all = fileFixtures();
  assert.ok(all.length >= 10, `${all.length} fixtures`);
  for (const f of all) {
    const options = { ...optionsOf({ ...f, args: f.args }), file: f.file };
    const result = migrateTrust(f.text, options);
    const run = cliTrust({ ...f, trustFile: f.file });
    assert.deepEqual(result.diagnostics, run.diagnostics, f.name);
    if (result.ok) {
      planned += 1;
      assert.equal(run.status, 0, `${f.name}: ${run.stderr}`);
      assert.deepEqual(Object.fromEntries(result.files.map((x) => [x.path, x.text])), run.files, f.name);
    } else {
      assert.equal(run.status, 1, `${f.name}: ${run.stderr}`);
      assert.deepEqual(run.files, {}, f.name);
    }
  }
  assert.ok(planned >= 8, `${planned} planned`);
});
