// The docs-site custom elements (irsa-gen/element) in headless Chromium, on the
// plain page wasm/demo/element.html served from 127.0.0.1 with the installed
// package next to it: the text is byte for byte the CLI's, attribute changes
// render again, a bad value shows diagnostics, the copy button copies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { startChromium } from './chromium.mjs';

const CLI = process.env.IRSA_GEN_BIN;

let browser, base, context;

before(async () => {
  browser = await startChromium();
  ({ base, context } = browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
});

after(() => browser?.close());

const FLAGS = ['--account', '111122223333', '--region', 'us-west-2', '--cluster-id', 'EXAMPLED539D4633E53DE1B71EXAMPLE',
  '--service-account', 's3-writer', '--role-name', 'S3WriterRole'];
const cli = (namespace, only) => execFileSync(CLI, ['generate', ...FLAGS, '--namespace', namespace, '--only', only], { encoding: 'utf8' });

/** Waits until the element has rendered `state` with text other than `previous`. */
async function rendered(page, id, state, previous = null) {
  await page.waitForFunction(([i, s, p]) => {
    const el = document.getElementById(i);
    return el?.dataset.state === s && el.text !== p;
  }, [id, state, previous], { timeout: 30000 });
  return page.evaluate((i) => {
    const el = document.getElementById(i);
    const shadow = el.shadowRoot;
    return {
      text: el.text,
      shown: shadow.querySelector('code').textContent,
      file: shadow.querySelector('.file').textContent,
      diagnostics: shadow.querySelector('.diagnostics').textContent,
      button: shadow.querySelector('button').textContent,
      buttonHidden: shadow.querySelector('button').hidden,
    };
  }, id);
}

test('the element page renders, follows attributes, reports bad values and copies', async () => {
  const { page, problems, requests } = await browser.open('/demo/element.html');

  // As written in the page: byte-identical to the CLI.
  let trust = await rendered(page, 'trust', 'ok');
  assert.equal(trust.text, cli('production', 'trust-policy'));
  assert.equal(trust.shown, trust.text);
  assert.equal(trust.file, 'trust-policy.json');
  let sa = await rendered(page, 'sa', 'ok');
  assert.equal(sa.text, cli('production', 'serviceaccount'));
  assert.equal(sa.file, 'serviceaccount.yaml');

  // An attribute changes (through the page's own input field): both render again.
  await page.fill('#namespace', 'batch');
  trust = await rendered(page, 'trust', 'ok', trust.text);
  assert.equal(trust.text, cli('batch', 'trust-policy'));
  assert.match(trust.text, /system:serviceaccount:batch:s3-writer/);
  sa = await rendered(page, 'sa', 'ok', sa.text);
  assert.equal(sa.text, cli('batch', 'serviceaccount'));

  // A bad value: diagnostics instead of an exception, and no copy button.
  await page.evaluate(() => document.getElementById('trust').setAttribute('account', '12345'));
  const bad = await rendered(page, 'trust', 'error');
  assert.equal(bad.text, '');
  assert.match(bad.diagnostics, /SPEC\d{3}: accountId `12345` has 5 digits/);
  assert.equal(bad.buttonHidden, true);
  await page.evaluate(() => document.getElementById('trust').setAttribute('account', '111122223333'));
  trust = await rendered(page, 'trust', 'ok', '');
  assert.equal(trust.text, cli('batch', 'trust-policy'));

  // The copy button puts the exact text on the clipboard.
  await page.evaluate(() => document.getElementById('trust').shadowRoot.querySelector('button').click());
  await page.waitForFunction(() => document.getElementById('trust').shadowRoot.querySelector('button').textContent === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), trust.text);

  // A generic <irsa-artefact kind=...> added later renders too.
  await page.evaluate(() => {
    const el = document.createElement('irsa-artefact');
    el.id = 'main';
    for (const a of ['account', 'region', 'cluster-id', 'service-account', 'role-name']) el.setAttribute(a, document.getElementById('sa').getAttribute(a));
    el.setAttribute('namespace', 'batch');
    el.setAttribute('kind', 'main');
    document.body.append(el);
  });
  const main = await rendered(page, 'main', 'ok');
  assert.equal(main.text, cli('batch', 'main'));
  assert.equal(main.file, 'main.tf');

  // The wasm was fetched once, from the page's own server.
  assert.equal(requests.filter((u) => u.endsWith('/irsa_wasm_bg.wasm')).length, 1, requests.join('\n'));
  assert.ok(requests.every((u) => u.startsWith(base)), requests.join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});
