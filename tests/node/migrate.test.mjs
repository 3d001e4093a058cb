// `migrate` from the installed package (the full module only): every
// fixture of tests/fixtures/migrate planned as `irsa-gen migrate` plans it,
// byte for byte, its phases and blockers, and the calls that are mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { migrate } from 'irsa-gen';
import * as generatePart from 'irsa-gen/generate';
import * as checkPart from 'irsa-gen/check';
import { CLI, FIXTURES } from './helpers.mjs';

const ROOT = join(FIXTURES, 'migrate');

/** Every fixture planned from a spec: { name, dir, to, spec, workloads }. */
function fixtures() {
  const names = readdirSync(ROOT).filter((n) => existsSync(join(ROOT, n, 'spec.yaml'))).sort();
  if (names.length < 10) throw new Error(`expected the migrate fixtures in ${ROOT}, found ${names}`);
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
  // Each report is one JSON object from a `{` line to a `}` line (the spec's, then the plan's).
  const diagnostics = [];
  let block = null;
  for (const line of run.stderr.split('\n')) {
    if (line === '{') block = [];
    if (block) block.push(line);
    if (line === '}' && block) {
      diagnostics.push(...JSON.parse(block.join('\n')).diagnostics);
      block = null;
    }
  }
  return { status: run.status, stdout: run.stdout, diagnostics };
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
