// The installed package in headless Chromium, from a plain HTML page served on
// 127.0.0.1; and the copyable docs-page demo (wasm/demo). No request may fail
// and nothing may be logged as an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

import { startChromium } from './chromium.mjs';
import {
  BAD_SPEC, CLI, KINDS, checkFixtures, cliCheck, cliDiagnostics, cliInject, cliOutputs, cliSimulate, examples,
  injectFixtures, moduleOutputs,
} from './helpers.mjs';

let browser, base, open;

before(async () => {
  browser = await startChromium();
  ({ base, open } = browser);
});

after(() => browser?.close());

test('a plain page: every example byte-identical to the CLI, failures as values', async () => {
  const { page, problems, requests } = await open('/browser/index.html', 'body[data-ready="yes"]');
  assert.match(await page.evaluate(() => window.beforeInit), /call `await init\(\)`/);
  const cliVersion = execFileSync(CLI, ['--version'], { encoding: 'utf8' }).trim();
  assert.equal(`irsa-gen ${await page.evaluate(() => window.irsa.version())}`, cliVersion);

  const specs = examples();
  const results = await page.evaluate((texts) => texts.map((t) => window.irsa.generate(t)), specs.map((s) => s.text));
  for (const [i, example] of specs.entries()) {
    const cli = cliOutputs(example.file);
    const ours = moduleOutputs(results[i]);
    assert.deepEqual(ours.files, cli.files, example.name);
    for (const kind of KINDS) assert.equal(ours.only[kind], cli.only[kind], `${example.name} --only ${kind}`);
  }

  const bad = await page.evaluate((t) => window.irsa.validateSpec(t, { file: 'bad.yaml' }), BAD_SPEC);
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.diagnostics, cliDiagnostics(BAD_SPEC, 'bad.yaml').diagnostics);
  const cyclic = await page.evaluate(() => { const o = {}; o.o = o; return window.irsa.generate(o); });
  assert.equal(cyclic.ok, false);
  assert.equal(cyclic.diagnostics[0].code, 'SPEC001');

  // check, simulate and inject in the page, against the CLI.
  for (const fixture of checkFixtures()) {
    const result = await page.evaluate((files) => window.irsa.check(files), fixture.files);
    assert.deepEqual(result.diagnostics, cliCheck(fixture.dir, fixture.files.map((f) => f.name)).diagnostics, fixture.name);
  }
  for (const fixture of injectFixtures()) {
    const options = { ...fixture.options, serviceAccountFile: 'serviceaccount.yaml', workloadFile: fixture.workloadFile };
    const result = await page.evaluate(([sa, w, o]) => window.irsa.inject(sa, w, o), [fixture.serviceAccount, fixture.workload, options]);
    const cli = cliInject(fixture);
    if (cli.status === 0) assert.equal(result.text, cli.text, fixture.name);
    else assert.deepEqual(result.diagnostics, cli.diagnostics, fixture.name);
  }
  const trust = results[0].bindings[0].artefacts[0].text;
  const claims = { namespace: results[0].bindings[0].namespace, serviceAccount: results[0].bindings[0].serviceAccounts[0] };
  const decided = await page.evaluate(([t, c]) => window.irsa.simulate(t, c), [trust, claims]);
  const { ok, ...simulation } = decided;
  assert.equal(ok, true);
  assert.deepEqual(simulation, cliSimulate(trust, claims).simulation);

  assert.ok(requests.some((u) => u.endsWith('/irsa_wasm_bg.wasm')), requests.join('\n'));
  assert.ok(requests.every((u) => u.startsWith(base)), requests.join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the docs-page demo makes the trust policy and ServiceAccount the CLI makes', async () => {
  const { page, problems } = await open('/demo/index.html', 'form[data-ready="yes"]');
  const values = {
    account: '111122223333',
    region: 'eu-central-1',
    cluster: 'https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    namespace: 'payments',
    serviceAccount: 'api',
    roleName: 'payments-api',
  };
  for (const [name, value] of Object.entries(values)) await page.fill(`[name="${name}"]`, value);
  await page.click('button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#trust-policy').textContent.includes('payments'));
  const flags = ['generate', '--account', values.account, '--region', values.region, '--issuer', values.cluster,
    '--namespace', values.namespace, '--service-account', values.serviceAccount, '--role-name', values.roleName];
  const cli = (kind) => execFileSync(CLI, [...flags, '--only', kind], { encoding: 'utf8' });
  assert.equal(await page.textContent('#trust-policy'), cli('trust-policy'));
  assert.equal(await page.textContent('#serviceaccount'), cli('serviceaccount'));
  assert.equal((await page.textContent('#diagnostics')).trim(), '');

  // A mistake shows the diagnostics instead.
  await page.fill('[name="account"]', '12345');
  await page.click('button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#diagnostics').textContent.includes('SPEC010'));
  assert.equal(await page.textContent('#trust-policy'), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an esbuild bundle (platform browser) resolves the browser entry and works', async () => {
  const { page, problems } = await open('/bundle/index.html', 'body[data-ready="yes"]');
  const { version, result } = await page.evaluate(() => window.bundled);
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
  const spec = await page.textContent('#spec');
  const dir = mkdtempSync(join(tmpdir(), 'irsa-spec-'));
  try {
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const cli = cliOutputs(join(dir, 'spec.yaml'));
    assert.deepEqual(moduleOutputs(result).files, cli.files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, []);
  await page.close();
});
