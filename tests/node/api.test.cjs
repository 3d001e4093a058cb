// The installed package from CommonJS: `require('irsa-gen')`.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');

const irsa = require('irsa-gen');

test('require gives a ready module', async () => {
  assert.deepEqual(Object.keys(irsa).sort(), ['check', 'diagnose', 'generate', 'init', 'inject', 'simulate', 'validateSpec', 'version']);
  await irsa.init();
  assert.match(irsa.version(), /^\d+\.\d+\.\d+/);
});

test('CommonJS generate is byte-identical to the CLI for every example', async () => {
  const { KINDS, cliOutputs, examples, moduleOutputs } = await import('./helpers.mjs');
  for (const example of examples()) {
    const result = irsa.generate(example.text);
    assert.equal(result.ok, true, example.name);
    const cli = cliOutputs(example.file);
    const ours = moduleOutputs(result);
    assert.deepEqual(ours.files, cli.files, example.name);
    for (const kind of KINDS) assert.equal(ours.only[kind], cli.only[kind], `${example.name} --only ${kind}`);
  }
});

test('CommonJS returns failures as values', async () => {
  const { BAD_SPEC, cliDiagnostics } = await import('./helpers.mjs');
  const result = irsa.validateSpec(BAD_SPEC, { file: 'bad.yaml' });
  assert.equal(result.ok, false);
  assert.deepEqual(result.diagnostics, cliDiagnostics(BAD_SPEC, 'bad.yaml').diagnostics);
});

test('CommonJS check, simulate and inject agree with the CLI', async () => {
  const { checkFixtures, cliCheck, cliInject, injectFixtures } = await import('./helpers.mjs');
  const fixture = checkFixtures().find((f) => f.name === 'clean-set');
  const result = irsa.check(fixture.files);
  assert.deepEqual(result.diagnostics, cliCheck(fixture.dir, fixture.files.map((f) => f.name)).diagnostics);
  const trust = fixture.files.find((f) => f.name.endsWith('.json')).text;
  assert.equal(irsa.simulate(trust, { namespace: 'nope', serviceAccount: 'nope' }).decision, 'Deny');
  const inj = injectFixtures().find((f) => f.name === 'deployment');
  assert.equal(irsa.inject(inj.serviceAccount, inj.workload, inj.options).text, cliInject(inj).text);
});
