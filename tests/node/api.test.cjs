// The installed package from CommonJS: `require('irsa-gen')`.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');

const irsa = require('irsa-gen');

test('require gives a ready module', async () => {
  assert.deepEqual(Object.keys(irsa).sort(), ['generate', 'init', 'validateSpec', 'version']);
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
