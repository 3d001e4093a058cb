// The docs-site custom elements (irsa-gen/element) in headless Chromium, on the
// plain page wasm/demo/element.html served from 127.0.0.1 with the installed
// package next to it: the text is byte for byte the CLI's, attribute changes
// render again, a bad value shows diagnostics, the copy button copies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { startChromium } from './chromium.mjs';

const CLI = process.env.IRSA_GEN_BIN;
// Screenshots of the elements on a light and a dark page.
const SHOTS = process.env.IRSA_SHOTS ?? tmpdir();

let browser, base, context;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
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

  // The elements' own module was fetched once, from the page's own server,
  // and no other module: the elements only generate, from attributes.
  assert.equal(requests.filter((u) => u.endsWith('/irsa_element_bg.wasm')).length, 1, requests.join('\n'));
  assert.equal(requests.filter((u) => u.endsWith('.wasm')).length, 1, requests.join('\n'));
  assert.ok(requests.every((u) => u.startsWith(base)), requests.join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});

/** WCAG contrast ratios of every text the element shows against the
 * background it is painted on, measured from the computed styles. */
function contrasts(page, id) {
  return page.evaluate((i) => {
    const rgb = (c) => c.match(/[\d.]+/g).map(Number);
    const luminance = (c) => {
      const [r, g, b] = rgb(c).slice(0, 3).map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const opaque = (c) => { const v = rgb(c); return v.length < 4 || v[3] === 1; };
    /** The background actually behind `el`: the first opaque one up the tree. */
    const behind = (el) => {
      for (let e = el; e; e = e.parentElement ?? e.getRootNode().host) {
        const bg = getComputedStyle(e).backgroundColor;
        if (opaque(bg) && rgb(bg).length >= 3) return bg;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const ratio = (el) => {
      const [a, b] = [luminance(getComputedStyle(el).color), luminance(behind(el))];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    };
    const shadow = document.getElementById(i).shadowRoot;
    const out = { code: ratio(shadow.querySelector('pre')), caption: ratio(shadow.querySelector('figcaption')),
      copy: ratio(shadow.querySelector('button')) };
    for (const li of shadow.querySelectorAll('.diagnostics li')) out[li.className] = ratio(li);
    return out;
  }, id);
}

/** Makes the demo page a dark (or light) docs site: its own colours and scheme. */
function pageTheme(page, dark) {
  return page.evaluate((d) => {
    const root = document.documentElement.style;
    root.colorScheme = d ? 'dark' : 'light';
    document.body.style.background = d ? '#0d1117' : '#ffffff';
    document.body.style.color = d ? '#e6edf3' : '#1f2328';
  }, dark);
}

test('the elements stay readable (WCAG AA) on a light and a dark docs page, and can hide all but errors', async () => {
  const { page, problems } = await browser.open('/demo/element.html');
  await rendered(page, 'trust', 'ok');
  // An info note (AWS's placeholder cluster ID), a warning (a cluster ID with a
  // typo) and an error (a short account), all on the page.
  await page.evaluate(() => {
    const bad = document.createElement('irsa-trust-policy');
    bad.id = 'bad';
    for (const a of ['region', 'cluster-id', 'service-account', 'namespace']) bad.setAttribute(a, document.getElementById('trust').getAttribute(a));
    bad.setAttribute('cluster-id', '0A1B2C3D4E5F60718293A4B5C6D7E8FG');
    bad.setAttribute('account', '12345');
    document.body.append(bad);
  });
  await rendered(page, 'bad', 'error');
  const figures = [];
  for (const [scheme, dark] of [['light', false], ['dark', true]]) {
    await page.emulateMedia({ colorScheme: scheme });
    await pageTheme(page, dark);
    for (const id of ['trust', 'bad']) {
      const c = await contrasts(page, id);
      for (const [what, ratio] of Object.entries(c)) {
        figures.push(`${scheme} ${id} ${what} ${ratio.toFixed(2)}:1`);
        assert.ok(ratio >= 4.5, `${scheme} page: ${id} ${what} has contrast ${ratio.toFixed(2)}:1 (WCAG AA needs 4.5:1)`);
      }
      assert.ok('code' in c && 'caption' in c);
    }
    assert.ok('info' in (await contrasts(page, 'trust')), 'the placeholder cluster ID note is measured');
    const bad = await contrasts(page, 'bad');
    assert.ok('warning' in bad && 'error' in bad, 'the warning and the error are measured');
    await page.screenshot({ path: `${SHOTS}/element-${scheme}.png`, fullPage: true });
  }
  console.log(`element contrast: ${figures.join(', ')}`);

  // The element follows the page's scheme, not only the reader's: a dark page
  // on a light preference still gets the dark panel, and `theme` wins over both.
  await page.emulateMedia({ colorScheme: 'light' });
  await pageTheme(page, true);
  const bg = (id) => page.evaluate((i) => getComputedStyle(document.getElementById(i).shadowRoot.querySelector('pre')).backgroundColor, id);
  const darkBg = await bg('trust');
  await pageTheme(page, false);
  const lightBg = await bg('trust');
  assert.notEqual(darkBg, lightBg, 'the panel follows the page\'s color-scheme');
  await page.evaluate(() => document.getElementById('trust').setAttribute('theme', 'dark'));
  assert.equal(await bg('trust'), darkBg, 'theme="dark" on a light page');

  // diagnostics="errors": the note and the warning go, the error stays.
  const items = (id) => page.evaluate((i) => [...document.getElementById(i).shadowRoot.querySelectorAll('.diagnostics li')].map((li) => li.className), id);
  assert.deepEqual(await items('trust'), ['info']);
  assert.deepEqual((await items('bad')).sort(), ['error', 'warning']);
  await page.evaluate(() => { for (const id of ['trust', 'bad']) document.getElementById(id).setAttribute('diagnostics', 'errors'); });
  await page.waitForFunction(() => document.getElementById('trust').shadowRoot.querySelectorAll('.diagnostics li').length === 0);
  assert.deepEqual(await items('trust'), []);
  assert.deepEqual(await items('bad'), ['error']);
  assert.equal((await rendered(page, 'trust', 'ok')).text, cli('production', 'trust-policy'));
  assert.deepEqual(problems, []);
  await page.close();
});
