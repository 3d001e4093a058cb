// The installed package from CommonJS: `require('irsa-gen')`.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');

const irsa = require('irsa-gen');

test('require gives a ready module', async () => {
  assert.deepEqual(Object.keys(irsa).sort(), ['check', 'diagnose', 'generate', 'init', 'inject', 'migrate', 'migrateTrust', 'simulate', 'simulatePolicy', 'validateSpec', 'version']);
  await irsa.init();
  assert.match(irsa.version(), /^\d+\.\d+\.\d+/);
});

test('require of irsa-gen/generate and irsa-gen/check gives the two halves, answering as the main entry', async () => {
  const { BAD_SPEC, checkFixtures, examples } = await import('./helpers.mjs');
  const generatePart = require('irsa-gen/generate');
  const checkPart = require('irsa-gen/check');
  assert.deepEqual(Object.keys(generatePart).sort(), ['generate', 'init', 'validateSpec', 'version']);
  assert.deepEqual(Object.keys(checkPart).sort(), ['check', 'diagnose', 'init', 'inject', 'simulate', 'simulatePolicy', 'version']);
  for (const example of examples()) assert.deepEqual(generatePart.generate(example.text), irsa.generate(example.text), example.name);
  assert.deepEqual(generatePart.validateSpec(BAD_SPEC), irsa.validateSpec(BAD_SPEC));
  for (const fixture of checkFixtures()) assert.deepEqual(checkPart.check(fixture.files), irsa.check(fixture.files), fixture.name);
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
