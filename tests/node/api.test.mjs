// The installed package from Node ESM: `import ... from 'irsa-gen'`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import init, { check, diagnose, generate, inject, simulate, simulatePolicy, validateSpec, version } from 'irsa-gen';
import * as generatePart from 'irsa-gen/generate';
import * as checkPart from 'irsa-gen/check';
import {
  BAD_SPEC, CLI, DIAGNOSE_NOW, KINDS, S3_WRITER_OBJECT, checkFixtures, cliCheck, cliDiagnose, cliDiagnostics,
  cliInject, cliOutputs, cliSimulate, cliSimulatePolicy, diagnoseSamples, examples, injectFixtures, moduleOutputs,
  permissionFixtures,
} from './helpers.mjs';

test('init is a no-op in Node and version is the CLI version', async () => {
  await init();
  const cli = execFileSync(CLI, ['--version'], { encoding: 'utf8' }).trim();
  assert.equal(`irsa-gen ${version()}`, cli);
});

test('irsa-gen/generate and irsa-gen/check hold the two halves of the main entry', () => {
  assert.deepEqual(Object.keys(generatePart).sort(), ['default', 'generate', 'init', 'validateSpec', 'version']);
  assert.deepEqual(Object.keys(checkPart).sort(),
    ['check', 'default', 'diagnose', 'init', 'inject', 'simulate', 'simulatePolicy', 'version']);
  assert.equal(generatePart.version(), version());
  assert.equal(checkPart.version(), version());
});

// Each part is its own module, built from the same core: it answers exactly as
// the main entry, which the tests below hold to the CLI.
test('irsa-gen/generate answers as the main entry for every example and a bad spec', () => {
  for (const example of examples()) {
    assert.deepEqual(generatePart.generate(example.text, { file: example.name }), generate(example.text, { file: example.name }), example.name);
    assert.deepEqual(generatePart.validateSpec(example.text), validateSpec(example.text), example.name);
  }
  assert.deepEqual(generatePart.validateSpec(BAD_SPEC, { file: 'bad.yaml' }), validateSpec(BAD_SPEC, { file: 'bad.yaml' }));
  assert.deepEqual(generatePart.generate(S3_WRITER_OBJECT), generate(S3_WRITER_OBJECT));
});

test('irsa-gen/check answers as the main entry for every fixture and sample', () => {
  for (const fixture of checkFixtures()) assert.deepEqual(checkPart.check(fixture.files), check(fixture.files), fixture.name);
  for (const fixture of injectFixtures()) {
    const options = { ...fixture.options, serviceAccountFile: 'serviceaccount.yaml', workloadFile: fixture.workloadFile };
    assert.deepEqual(checkPart.inject(fixture.serviceAccount, fixture.workload, options),
      inject(fixture.serviceAccount, fixture.workload, options), fixture.name);
  }
  for (const sample of diagnoseSamples()) {
    const options = { files: sample.files, token: sample.token ?? undefined, now: DIAGNOSE_NOW };
    assert.deepEqual(checkPart.diagnose(sample.message, options), diagnose(sample.message, options), sample.name);
  }
  for (const fixture of permissionFixtures()) {
    for (const { action, resource, context } of fixture.requests) {
      const request = { action, resource, context, ...(fixture.boundary ? { boundary: fixture.boundary } : {}) };
      assert.deepEqual(checkPart.simulatePolicy(fixture.files, request), simulatePolicy(fixture.files, request), fixture.name);
    }
  }
  const trust = generate(S3_WRITER_OBJECT).bindings[0].artefacts[0].text;
  const claims = { namespace: 'production', serviceAccount: 's3-writer' };
  assert.deepEqual(checkPart.simulate(trust, claims), simulate(trust, claims));
});

for (const example of examples()) {
  test(`generate(${example.name}) is byte-identical to the CLI`, () => {
    const result = generate(example.text, { file: example.name });
    assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    const cli = cliOutputs(example.file);
    const ours = moduleOutputs(result);
    assert.ok(Object.keys(cli.files).length >= result.bindings.length);
    assert.ok(Object.values(cli.only).filter((t) => t !== null).length >= 2, 'most --only kinds apply');
    assert.deepEqual(Object.keys(ours.files).sort(), Object.keys(cli.files).sort());
    for (const [path, text] of Object.entries(cli.files)) assert.equal(ours.files[path], text, path);
    for (const kind of KINDS) assert.equal(ours.only[kind], cli.only[kind], `--only ${kind}`);
  });
}

test('warnings of a valid spec are the CLI diagnostics', () => {
  const example = examples().find((e) => e.name === 's3-writer.yaml');
  const result = generate(example.text, { file: 'spec.yaml' });
  assert.equal(result.ok, true);
  const cli = cliDiagnostics(example.text, 'spec.yaml');
  assert.equal(cli.status, 0);
  assert.ok(result.warnings.length > 0, 'the example uses the EXAMPLE placeholder: an info note');
  assert.deepEqual(result.warnings, cli.diagnostics);
});

test('an invalid spec gives every diagnostic, exactly as the CLI, and does not throw', () => {
  for (const fn of [generate, validateSpec]) {
    const result = fn(BAD_SPEC, { file: 'bad.yaml' });
    assert.equal(result.ok, false);
    assert.deepEqual(Object.keys(result).sort(), ['diagnostics', 'ok']);
    const cli = cliDiagnostics(BAD_SPEC, 'bad.yaml');
    assert.equal(cli.status, 2);
    assert.ok(result.diagnostics.length >= 4, JSON.stringify(result.diagnostics));
    assert.deepEqual(result.diagnostics, cli.diagnostics);
    const codes = result.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('SPEC003'), 'the misspelt serviceAcount is reported');
    for (const d of result.diagnostics) {
      assert.deepEqual(Object.keys(d), ['code', 'severity', 'message', 'help', 'failure', 'file', 'path', 'line', 'column']);
      assert.equal(d.file, 'bad.yaml');
      assert.equal(typeof d.line, 'number');
    }
  }
});

test('a spec object gives the same artefacts as its YAML text', () => {
  const text = examples().find((e) => e.name === 's3-writer.yaml').text;
  const fromObject = generate(S3_WRITER_OBJECT);
  const fromText = generate(text);
  assert.equal(fromObject.ok, true);
  assert.deepEqual(fromObject.bindings, fromText.bindings);
  assert.deepEqual(fromObject.warnings.map((d) => [d.code, d.path, d.line]), [['SPEC014', 'cluster', null]]);
});

test('an invalid spec object has field paths but no positions', () => {
  const result = validateSpec({ ...S3_WRITER_OBJECT, accountId: '12345', bindings: [{ namespace: 'Bad_NS', serviceAccount: 'x' }] });
  assert.equal(result.ok, false);
  const paths = result.diagnostics.map((d) => d.path);
  assert.ok(paths.includes('accountId'), paths.join());
  assert.ok(paths.includes('bindings[0].namespace'), paths.join());
  for (const d of result.diagnostics) assert.deepEqual([d.file, d.line, d.column], [null, null, null]);
});

test('validateSpec returns the normalised spec', () => {
  const result = validateSpec(S3_WRITER_OBJECT);
  assert.equal(result.ok, true);
  assert.equal(result.spec.partition, 'aws');
  assert.equal(result.spec.accountId, '123456789012');
  assert.equal(result.spec.issuers[0].hostPath, 'oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E');
  assert.equal(result.spec.bindings[0].workload.replicas, 1);
  assert.equal(result.spec.tokenExpiration, 86400);
});

test('mistakes in the input never throw', () => {
  const cyclic = {};
  cyclic.self = cyclic;
  for (const spec of [undefined, null, '', '{', 42, [], cyclic, { accountId: 1n }, 'a: [1, 2'] ) {
    const result = generate(spec);
    assert.equal(result.ok, false, String(spec));
    assert.ok(result.diagnostics.length > 0);
    assert.ok(result.diagnostics.every((d) => /^SPEC\d{3}$/.test(d.code)));
  }
});

test('options of the wrong type are a TypeError', () => {
  assert.throws(() => generate('{}', 5), TypeError);
  assert.throws(() => generate('{}', { fiel: 'x.yaml' }), TypeError);
});

test('check gives the CLI findings for every checker fixture', () => {
  let errors = 0;
  for (const fixture of checkFixtures()) {
    const result = check(fixture.files);
    const cli = cliCheck(fixture.dir, fixture.files.map((f) => f.name));
    assert.deepEqual(result.diagnostics, cli.diagnostics, fixture.name);
    assert.equal(result.ok, cli.status === 0, fixture.name);
    if (!result.ok) errors += 1;
  }
  assert.ok(errors >= 10, 'most fixtures trigger an error-level rule');
});

test('check: the trust size quota option, and a usage mistake', () => {
  const big = checkFixtures().find((f) => f.name === 'irsa013-too-long');
  assert.ok(big, 'the irsa013-too-long fixture');
  assert.ok(check(big.files).diagnostics.some((d) => d.code === 'IRSA013'));
  assert.ok(!check(big.files, { maxTrustPolicyLength: 8192 }).diagnostics.some((d) => d.code === 'IRSA013'));
  assert.throws(() => check(big.files, { maxTrustPolicyLength: 9000 }), TypeError);
  assert.throws(() => check('trust.json'), TypeError);
  assert.deepEqual(check([]), { ok: true, diagnostics: [], summary: 'nothing checked in 0 files' });
});

test('check: --set fills placeholders as the CLI does', () => {
  const fixture = checkFixtures().find((f) => f.name === 'clean-template-set-linked');
  assert.ok(fixture, 'the clean-template-set-linked fixture');
  const set = { ACCOUNT_ID: '111122223333', OIDC: 'oidc.eks.us-west-2.amazonaws.com/id/B71EE52A96A24E6EB1A3C8D0F4E5A6B7', NAMESPACE: 'production', UNUSED: 'x' };
  const flags = Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const result = check(fixture.files, { set });
  const cli = cliCheck(fixture.dir, fixture.files.map((f) => f.name), flags);
  assert.deepEqual(result.diagnostics, cli.diagnostics);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ['IRSA409'], 'filled, only the unused name is said');
  assert.ok(check(fixture.files).diagnostics.every((d) => d.code === 'IRSA405'));
  assert.match(result.summary, /1 trust policy, 1 ServiceAccount, 1 Deployment/);
});

test('inject gives the CLI output or diagnostics for every webhook fixture', () => {
  let failures = 0;
  for (const fixture of injectFixtures()) {
    const result = inject(fixture.serviceAccount, fixture.workload,
      { ...fixture.options, serviceAccountFile: 'serviceaccount.yaml', workloadFile: fixture.workloadFile });
    const cli = cliInject(fixture);
    if (cli.status === 0) {
      assert.equal(result.ok, true, `${fixture.name}: ${JSON.stringify(result.diagnostics)}`);
      assert.equal(result.text, cli.text, fixture.name);
      assert.deepEqual(result.findings, cli.findings, fixture.name);
      assert.equal(typeof result.document, 'object');
    } else {
      failures += 1;
      assert.equal(result.ok, false, fixture.name);
      assert.deepEqual(result.diagnostics, cli.diagnostics, fixture.name);
    }
  }
  assert.ok(failures >= 2, 'the error-* fixtures fail');
});

test('simulate decides like the CLI for every generated trust policy', () => {
  let allows = 0;
  let denies = 0;
  for (const example of examples()) {
    const result = generate(example.text);
    for (const binding of result.bindings) {
      const trust = binding.artefacts.find((a) => a.kind === 'trust-policy').text;
      const sa = binding.serviceAccounts[0].replace(/[*?]/g, 'x');
      const ns = binding.namespace.replace(/[*?]/g, 'x');
      for (const claims of [{ namespace: ns, serviceAccount: sa }, { namespace: `${ns}-other`, serviceAccount: sa }]) {
        const ours = simulate(trust, claims);
        const cli = cliSimulate(trust, claims);
        assert.equal(ours.ok, true, JSON.stringify(ours));
        const { ok, ...simulation } = ours;
        assert.deepEqual(simulation, cli.simulation, `${example.name} ${JSON.stringify(claims)}`);
        assert.equal(cli.status, ours.decision === 'Allow' ? 0 : 1);
        if (ours.decision === 'Allow') allows += 1; else denies += 1;
      }
    }
  }
  assert.ok(allows >= 5 && denies >= 5, `${allows} allows, ${denies} denies`);
});

test('simulate takes the CLI\'s role and context options and decides like it', () => {
  const trust = generate(S3_WRITER_OBJECT).bindings[0].artefacts[0].text;
  const base = { namespace: 'production', serviceAccount: 's3-writer' };
  const withIp = JSON.parse(trust);
  withIp.Statement[0].Condition.IpAddress = { 'aws:SourceIp': '10.0.0.0/8' };
  const cases = [
    [trust, base, 'Allow'],
    [trust, { ...base, roleArn: 'arn:aws:iam::123456789012:role/S3WriterRole' }, 'Allow'],
    // The role in another account: the trust's provider is not that account's.
    [trust, { ...base, roleArn: 'arn:aws:iam::999999999999:role/S3WriterRole' }, 'Deny'],
    [trust, { ...base, account: '999999999999' }, 'Deny'],
    [JSON.stringify(withIp), base, 'Conditional'],
    [JSON.stringify(withIp), { ...base, context: { 'aws:SourceIp': '10.1.2.3' } }, 'Allow'],
    [JSON.stringify(withIp), { ...base, context: { 'aws:SourceIp': ['192.0.2.1'] } }, 'Deny'],
  ];
  for (const [text, claims, want] of cases) {
    const ours = simulate(text, claims);
    assert.equal(ours.decision, want, JSON.stringify(claims));
    const cli = cliSimulate(text, claims);
    const { ok, ...simulation } = ours;
    assert.deepEqual(simulation, cli.simulation, JSON.stringify(claims));
    assert.equal(cli.status, want === 'Allow' ? 0 : 1);
  }
  const assumed = simulate(trust, base).role;
  assert.equal(assumed.source, 'assumed');
  assert.match(assumed.note, /123456789012/);
  const foreign = simulate(trust, { ...base, account: '999999999999' }).results[0].foreign;
  assert.equal(foreign.length, 1);
  // A request simulate cannot use is a failure value, as the CLI's exit 2.
  const bad = simulate(trust, { ...base, context: { 'aws:SourceAccount': '1', 'aws:PrincipalTag/x': '1' } });
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.diagnostics.map((d) => d.code), ['IRSA420']);
});

test('simulate: a policy object, an unreadable policy, a bad claims argument', () => {
  const trust = generate(S3_WRITER_OBJECT).bindings[0].artefacts[0];
  const claims = { namespace: 'production', serviceAccount: 's3-writer' };
  assert.deepEqual(simulate(JSON.parse(trust.text), claims), simulate(trust.text, claims));
  assert.equal(simulate(trust.text, claims).decision, 'Allow');
  const broken = simulate('{"Version": "2012-10-17", "Statement": [', claims);
  assert.equal(broken.ok, false);
  assert.deepEqual(broken.diagnostics, cliSimulate('{"Version": "2012-10-17", "Statement": [', claims).diagnostics.map((d) => ({ ...d, file: null })));
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(simulate(cyclic, claims).diagnostics[0].code, 'IRSA401');
  assert.throws(() => simulate(trust.text), TypeError);
  assert.throws(() => simulate(trust.text, { namespace: 'production' }), TypeError);
});

test('diagnose answers like the CLI for every sample of the corpus, with its files and token', () => {
  let recognised = 0;
  const samples = diagnoseSamples();
  for (const sample of samples) {
    const ours = diagnose(sample.message, { files: sample.files, token: sample.token ?? undefined, now: DIAGNOSE_NOW });
    const cli = cliDiagnose(sample);
    assert.deepEqual(ours, cli.answer, sample.name);
    assert.equal(cli.status, ours.message === null ? 1 : 0, sample.name);
    if (ours.message !== null) recognised += 1;
  }
  assert.ok(samples.length >= 80 && recognised >= 60, `${recognised} of ${samples.length} recognised`);
});

test('diagnose: unknown text is not recognised, with the codes that are; a bad argument is a TypeError', () => {
  const answer = diagnose('Segmentation fault (core dumped)');
  assert.equal(answer.message, null);
  assert.ok(answer.known.includes('DIAG001') && answer.known.length >= 17);
  assert.deepEqual(answer.known, [...answer.known].sort(), 'codes in code order');
  // Without `now`, the shell's clock: a token that expired in 2024 is expired now.
  const token = diagnoseSamples().find((s) => s.token !== null).token;
  assert.ok(diagnose('ExpiredTokenException: Token expired', { token }).token.expiresIn < 0);
  assert.throws(() => diagnose(42), TypeError);
  assert.throws(() => diagnose('x', { tokn: 'y' }), TypeError);
});

test('simulatePolicy decides like simulate --policy for every permissions fixture', () => {
  let compared = 0;
  for (const fixture of permissionFixtures()) {
    for (const request of fixture.requests) {
      // The CLI cannot give a key with no value (`[]`, the key absent).
      if (Object.values(request.context ?? {}).some((v) => Array.isArray(v) && v.length === 0)) continue;
      const { action, resource, context } = request;
      const ours = simulatePolicy(fixture.files, { action, resource, context, ...(fixture.boundary ? { boundary: fixture.boundary } : {}) });
      const cli = cliSimulatePolicy(fixture, request);
      const what = `${fixture.name}: ${request.name}`;
      if (cli.status === 2) {
        assert.deepEqual(ours, { ok: false, diagnostics: cli.diagnostics }, what);
      } else {
        const { ok, ...simulation } = ours;
        assert.equal(ok, true, what);
        assert.deepEqual(simulation, cli.simulation, what);
        assert.equal(cli.status, ours.decision === 'Allow' ? 0 : 1, what);
      }
      compared += 1;
    }
  }
  assert.ok(compared >= 30, `${compared} requests compared`);
});

test('simulatePolicy: a bad policies argument is a TypeError, a bad request a failure', () => {
  assert.throws(() => simulatePolicy('not an array', { action: 's3:GetObject', resource: '*' }), TypeError);
  const bad = simulatePolicy([], { action: 's3:*', resource: '*' });
  assert.equal(bad.ok, false);
  assert.equal(bad.diagnostics[0].code, 'IRSA421');
});
