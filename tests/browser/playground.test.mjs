// End-to-end test of the playground: the release build in dist/ (trunk build
// --release --offline, see scripts/test.d/web.sh), served on 127.0.0.1 by the
// tiny static server below, driven by playwright-core in Debian's headless
// Chromium. Screenshots of every state go to test-output/playground/.
// Performance figures are printed, never asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// IRSA_DIST: another build to measure (the performance test alone, for a before/after).
const DIST = process.env.IRSA_DIST || path.join(ROOT, 'dist');
const SHOTS = path.join(ROOT, 'test-output', 'playground');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The CLI that must read the page's spec as the page does (built by scripts/test.d/web.sh).
const CLI = process.env.IRSA_GEN || path.join(ROOT, 'target', 'debug', 'irsa-gen');
// Check mode is wired in once core has the checker (irsa_core::check).

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const EXPECTED_TRUST = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:sub": "system:serviceaccount:production:s3-writer",
          "oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`;

const EXPECTED_SERVICE_ACCOUNT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: s3-writer
  namespace: production
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/S3WriterRole
    eks.amazonaws.com/token-expiration: "86400"
`;

let server;
let base;
let context;
let userDataDir;
const requests = [];
const failures = [];
const consoleErrors = [];

function serve() {
  return new Promise((resolve) => {
    const s = http.createServer(async (req, res) => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = path.join(DIST, rel);
      if (!file.startsWith(DIST + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

function watch(page, label) {
  page.on('request', (r) => requests.push({ label, url: r.url(), at: Date.now() }));
  page.on('requestfailed', (r) => failures.push(`${label}: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${label}: ${r.url()} HTTP ${r.status()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${label}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${label}: ${e.message}`));
}

async function open(label, url = base) {
  const page = await context.newPage();
  watch(page, label);
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  return page;
}

async function shoot(page, name) {
  for (const [scheme, suffix] of [['light', 'light'], ['dark', 'dark']]) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, device] of [[1280, 'desktop'], [390, 'phone']]) {
      await page.setViewportSize({ width, height: device === 'phone' ? 844 : 900 });
      // Let the new colour scheme and width paint before the full-page capture.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: path.join(SHOTS, `${name}-${device}-${suffix}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

// One part of the page (a binding's form), light and dark, desktop and phone:
// a full-page capture of a long page is too tall to look at.
async function shootPart(page, locator, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, device] of [[1280, 'desktop'], [390, 'phone']]) {
      await page.setViewportSize({ width, height: device === 'phone' ? 844 : 900 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await locator.screenshot({ path: path.join(SHOTS, `${name}-${device}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const panelText = (page, file) =>
  page.locator(`section.panel[data-file="${file}"] pre`).evaluate((el) => el.textContent);

// The spec's camelCase keys, from the CLI's JSON Schema (item 5 of issue
// #22: the page says the form's labels, never these, nor a CLI flag).
function specKeys() {
  const keys = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.properties) Object.keys(v.properties).forEach((k) => keys.add(k));
      Object.values(v).forEach(walk);
    }
  };
  walk(JSON.parse(execFileSync(CLI, ['schema'], { encoding: 'utf8' })));
  return [...keys].filter((k) => /[A-Z]/.test(k));
}

// Every message the form shows (beside the fields, above the artefacts, the
// error list, what opening a spec said) in the form's words: no spec key and
// no --flag outside an AWS CLI command in backticks.
async function assertFormWords(page, keys) {
  const texts = await page.locator('.form .field-msgs, .outputs .unplaced, #fix-fields, #spec-opened')
    .evaluateAll((els) => els.map((e) => e.textContent));
  assert.ok(keys.includes('accountId'), keys.join());
  for (const text of texts) {
    const outside = text.split('`').filter((part, i) => i % 2 === 0 || !part.startsWith('aws ')).join(' ');
    const words = outside.split(/[^A-Za-z0-9-]+/);
    for (const w of words) {
      assert.ok(!keys.includes(w), `spec key ${w} in: ${text}`);
      assert.ok(!/^--[a-z]/.test(w), `flag ${w} in: ${text}`);
    }
  }
  return texts.length;
}

// Every input of the form by id: the form as the page holds it.
const formValues = (page) => page.locator('.form input:not([type=file]), .form select, .form textarea:not(#spec-paste)')
  .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.id, e.value])));

async function fillSeed(page) {
  const seed = [
    ['AWS account ID', '123456789012'],
    ['Region', 'ap-south-1'],
    ['Cluster ID or OIDC issuer URL', 'EXAMPLED539D4633E53DE1B716D3041E'],
    ['Namespace', 'production'],
    ['Service account', 's3-writer'],
    ['Role name', 'S3WriterRole'],
    ['Token expiration (seconds)', '86400'],
  ];
  for (const [label, value] of seed) {
    await page.getByLabel(label, { exact: true }).pressSequentially(value);
  }
  // The app renders after its event queue drains: wait for the last keystroke's
  // output before the callers compare panels exactly.
  await page.waitForFunction(() =>
    document.querySelector('section.panel[data-file="serviceaccount.yaml"] pre')?.textContent.includes('"86400"'));
}

// A zip's files as { name: text }, read by Python's zipfile (testzip checks every CRC).
function unzip(file) {
  const py = 'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode() for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' }));
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (n=${s.length})`;
}

before(async () => {
  await stat(path.join(DIST, 'index.html')); // built by scripts/test.d/web.sh
  await mkdir(SHOTS, { recursive: true });
  server = await serve();
  base = `http://127.0.0.1:${server.address().port}/`;
  userDataDir = await mkdtemp(path.join(tmpdir(), 'irsa-web-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.slice(0, -1) });
});

after(async () => {
  await context?.close();
  server?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

test('generate mode: seed values, field errors, stale output, wrapping, toggles, copy, download, URL state', async () => {
  const page = await open('main');
  const firstRender = await page.evaluate(() => {
    const m = performance.getEntriesByName('irsa-first-render')[0];
    return m ? m.startTime : null;
  });
  assert.ok(firstRender !== null, 'the app marks its first render');
  console.log(`first render: ${firstRender.toFixed(1)} ms after navigation start (goal <= 500 ms)`);

  // Empty state: a prompt, no panel, no error.
  await page.getByText('Fill in the form to generate the artefacts.').waitFor();
  assert.equal(await page.locator('section.panel').count(), 0);
  assert.equal(await page.locator('.diag').count(), 0);
  await shoot(page, '1-empty');

  // The guide's values, typed key by key.
  await fillSeed(page);
  assert.equal(await panelText(page, 'trust-policy.json'), EXPECTED_TRUST);
  assert.equal(await panelText(page, 'serviceaccount.yaml'), EXPECTED_SERVICE_ACCOUNT);
  // AWS's placeholder cluster ID is one note beside its field, not a
  // warning; outputs stay.
  const clusterMsgs = page.locator('#f-cluster-msg');
  assert.match(await clusterMsgs.textContent(), /^note SPEC014/);
  assert.match(await clusterMsgs.textContent(), /AWS's documentation placeholder/);

  // What is not generated yet says which field adds it.
  const missing = page.locator('section.missing');
  assert.match(await missing.locator('li[data-kind="deployment"]').textContent(), /^Deployment: add a Workload name and image \(Workload name\)$/);
  assert.match(await missing.locator('li[data-kind="permissions-policy"]').textContent(), /add an S3 bucket/);
  await missing.locator('li[data-kind="deployment"]').getByRole('button', { name: 'Workload name' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-workload');

  // Permissions template and workload add panels (the page shows whatever the bundle holds).
  await page.getByLabel('S3 bucket', { exact: true }).fill('my-app-uploads');
  await page.getByLabel('S3 access', { exact: true }).selectOption('write');
  await page.getByLabel('Workload name', { exact: true }).fill('my-app');
  await page.getByLabel('Workload image', { exact: true }).fill('my-app:latest');
  const files = await page.locator('section.panel').evaluateAll((els) => els.map((e) => e.dataset.file));
  for (const f of ['trust-policy.json', 'permissions-policy.json', 'serviceaccount.yaml', 'deployment.yaml', 'verify-pod.yaml']) {
    assert.ok(files.includes(f), `panel ${f} in ${files}`);
  }
  const titles = await page.locator('section.panel h2').allTextContents();
  for (const t of ['Trust policy', 'Permissions policy', 'ServiceAccount', 'Deployment', 'Verification pod']) {
    assert.ok(titles.includes(t), `title ${t} in ${titles}`);
  }
  // The alternative formats are picked, one at a time: none is shown until
  // picked, and those the form does not give yet say what adds them.
  assert.equal(await page.locator('section.panel[data-file="setup.sh"]').count(), 0);
  const picker = page.getByLabel('Also as', { exact: true });
  await picker.selectOption('setup');
  assert.match(await panelText(page, 'setup.sh'), /aws iam create-role/);
  assert.match(page.url(), /alt=setup/);
  const eksctl = picker.locator('option[value="eksctl-cluster"]');
  assert.notEqual(await eksctl.getAttribute('disabled'), null, 'eksctl is offered only with a cluster name');
  assert.match(await eksctl.textContent(), /add a Cluster name/);
  await picker.selectOption('main');
  assert.equal(await page.locator('section.panel[data-file="setup.sh"]').count(), 0);
  assert.match(await panelText(page, 'main.tf'), /resource "aws_iam_role"/);
  // Scripts and HCL scroll sideways; policies and manifests wrap.
  assert.equal(await page.locator('section.panel[data-file="main.tf"] pre.wrap').count(), 0);
  assert.equal(await page.locator('section.panel[data-file="trust-policy.json"] pre.wrap').count(), 1);
  await picker.selectOption('');
  assert.equal(await page.locator('section.panel[data-file="main.tf"]').count(), 0);
  const perms = JSON.parse(await panelText(page, 'permissions-policy.json'));
  assert.ok(JSON.stringify(perms).includes('arn:aws:s3:::my-app-uploads/*'));
  assert.match(await panelText(page, 'deployment.yaml'), /serviceAccountName: s3-writer/);
  // Colouring is spans of text: keys are marked, and nothing else changed the text.
  assert.ok(await page.locator('section.panel[data-file="trust-policy.json"] .t-key').count() > 5);
  await shoot(page, '2-generated');

  // Copy puts the exact panel text on the clipboard.
  await page.locator('section.panel[data-file="trust-policy.json"]').getByRole('button', { name: 'Copy trust-policy.json' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), EXPECTED_TRUST);

  // JSON/YAML toggle for manifests; policies stay as they are.
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  const saJson = JSON.parse(await panelText(page, 'serviceaccount.json'));
  assert.equal(saJson.kind, 'ServiceAccount');
  assert.equal(saJson.metadata.annotations['eks.amazonaws.com/token-expiration'], '86400');
  assert.equal(await panelText(page, 'trust-policy.json'), EXPECTED_TRUST);
  await page.getByRole('button', { name: 'YAML', exact: true }).click();
  assert.equal(await panelText(page, 'serviceaccount.yaml'), EXPECTED_SERVICE_ACCOUNT);

  // Download all: a zip (built by core) of every file --output-dir writes,
  // read back by an independent reader (Python's zipfile).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'irsa-gen-artefacts.zip');
  const zip = unzip(await download.path());
  for (const f of ['trust-policy.json', 'permissions-policy.json', 'serviceaccount.yaml', 'deployment.yaml', 'verify-pod.yaml', 'setup.sh', 'main.tf', 'cloudformation.yaml', 'cloudformation.json', 'helm-values.yaml', 'spicepodset.yaml']) {
    assert.ok(f in zip, `${f} in ${Object.keys(zip)}`);
  }
  assert.equal(zip['trust-policy.json'], EXPECTED_TRUST);

  await page.getByLabel('Role name', { exact: true }).fill('S3WriterRole');

  // An invalid account: its error beside the field; the last artefacts stay,
  // marked out of date, and do not move.
  // The panel's place in the page (not in the viewport: filling a field scrolls to it).
  const top = () => page.locator('section.panel[data-file="trust-policy.json"]').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
  const topBefore = await top();
  await page.getByLabel('AWS account ID', { exact: true }).fill('12345');
  const accountMsg = page.locator('#f-account-msg');
  await accountMsg.waitFor();
  assert.match(await accountMsg.textContent(), /SPEC010/);
  assert.match(await accountMsg.textContent(), /AWS account ID `12345` has 5 digits; an AWS account ID has exactly 12/);
  const keys = specKeys();
  assert.ok(await assertFormWords(page, keys) >= 2);
  // One finding renderer in every mode: check mode's words (note, fix:).
  assert.match(await accountMsg.textContent(), /fix: ?copy it from/);
  assert.equal(/help:/.test(await accountMsg.textContent()), false);
  assert.equal(await page.getByLabel('AWS account ID', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await panelText(page, 'trust-policy.json'), EXPECTED_TRUST, 'the last valid artefacts stay');
  assert.equal(await page.locator('.panels.stale').count(), 1, 'marked out of date');
  assert.equal(await page.getByRole('button', { name: 'Download all' }).isDisabled(), true);
  assert.equal(await top(), topBefore, 'no layout shift');
  assert.match(await page.locator('#fix-fields').textContent(), /Out of date: fix the highlighted fields \(1 error\)/);
  await shoot(page, '3-invalid');
  // The error list links to the field.
  await page.locator('#fix-fields').getByRole('button', { name: 'AWS account ID' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-account');
  await page.getByLabel('AWS account ID', { exact: true }).fill('123456789012');
  assert.equal(await panelText(page, 'trust-policy.json'), EXPECTED_TRUST);
  assert.equal(await page.locator('.panels.stale').count(), 0);
  assert.equal(await top(), topBefore);

  // Code panes wrap: the trust policy's sub line fits the pane, on a phone too.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const fit = await page.locator('section.panel[data-file="trust-policy.json"] pre').evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(fit[0] <= fit[1], `no horizontal cut at ${width} px: ${fit}`);
    const page_width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(page_width <= width, `the page is ${page_width} px wide at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Wrap lines' }).click();
  assert.match(page.url(), /wrap=off/);
  assert.equal(await page.locator('section.panel[data-file="trust-policy.json"] pre.wrap').count(), 0);
  await page.getByRole('button', { name: 'Wrap lines' }).click();

  // The URL holds the state: a fresh page (with localStorage cleared) restores it.
  const url = page.url();
  await page.evaluate(() => localStorage.clear());
  const fresh = await open('from-url', url);
  assert.equal(await fresh.getByLabel('Region', { exact: true }).inputValue(), 'ap-south-1');
  assert.equal(await fresh.getByLabel('S3 access', { exact: true }).inputValue(), 'write');
  assert.equal(await panelText(fresh, 'trust-policy.json'), EXPECTED_TRUST);
  assert.equal(await panelText(fresh, 'serviceaccount.yaml'), EXPECTED_SERVICE_ACCOUNT);
  await fresh.close();

  // localStorage keeps the last state: the bare address restores it.
  const kept = await open('from-storage', base);
  assert.equal(await panelText(kept, 'trust-policy.json'), EXPECTED_TRUST);
  assert.equal(kept.url(), url, 'the restored state is written back to the URL');
  // Keyboard: the mode tabs follow the arrow keys.
  await kept.getByRole('tab', { name: 'Generate' }).focus();
  await kept.keyboard.press('ArrowRight');
  assert.equal(await kept.getByRole('tab', { name: 'Check' }).getAttribute('aria-selected'), 'true');
  assert.equal(await kept.evaluate(() => document.activeElement.id), 'tab-check');
  await shoot(kept, '4-check');
  await kept.keyboard.press('ArrowLeft');
  await kept.close();
  await page.close();
});

test('spec file out and in, several bindings, the share link', async () => {
  const keys = specKeys();
  const page = await open('spec', `${base}?mode=generate`);
  await fillSeed(page);
  await page.getByLabel('S3 bucket', { exact: true }).fill('my-app-uploads');
  // A second binding: a copy of the first (the same service account twice is
  // an error beside the copy's field, the artefacts stay), then its own.
  await page.getByRole('button', { name: 'Duplicate binding 1' }).click();
  const second = page.locator('section.binding[data-binding="2"]');
  await second.locator('#f-role-2-msg', { hasText: 'SPEC023' }).waitFor();
  assert.equal(await page.locator('.panels.stale').count(), 1);
  await second.getByLabel('Service account', { exact: true }).fill('reader');
  // ... and the role name it copied is the first binding's: an error there too.
  assert.match(await second.locator('#f-role-2-msg').textContent(), /SPEC030/);
  await second.getByLabel('Role name', { exact: true }).fill('ReaderRole');
  await page.locator('section.panel[data-file="production/reader/trust-policy.json"]').waitFor();
  assert.match(await panelText(page, 'production/reader/trust-policy.json'), /system:serviceaccount:production:reader/);
  await page.getByLabel('Also as', { exact: true }).selectOption('main');
  // Several buckets, each with its own prefix and access; tables and queues
  // likewise; an add-on with its inputs; raw statements; the role's tags and
  // boundary: in the downloaded spec, so in the CLI's files compared below.
  const first = page.locator('section.binding[data-binding="1"]');
  await first.getByRole('button', { name: 'Add an S3 bucket' }).click();
  await first.getByLabel('S3 bucket 2', { exact: true }).fill('my-app-reports');
  await first.getByLabel('S3 key prefix 2', { exact: true }).fill('2026/');
  await first.getByLabel('S3 access 2', { exact: true }).selectOption('read-write');
  await first.getByLabel('DynamoDB table', { exact: true }).fill('orders');
  await first.getByRole('button', { name: 'Add a DynamoDB table' }).click();
  await first.getByLabel('DynamoDB table 2', { exact: true }).fill('audit');
  await first.getByLabel('DynamoDB access 2', { exact: true }).selectOption('read-write');
  await first.getByLabel('SQS queue', { exact: true }).fill('jobs');
  await first.getByLabel('SQS access', { exact: true }).selectOption('send');
  await first.getByRole('button', { name: 'Add an SQS queue' }).click();
  await first.getByLabel('SQS queue 2', { exact: true }).fill('results');
  await first.getByRole('button', { name: 'Remove SQS queue 2 of binding 1' }).click();
  assert.equal(await first.getByLabel('SQS queue 2', { exact: true }).count(), 0);
  await first.getByLabel('Add-on policy', { exact: true }).selectOption('external-dns');
  // Without its zones the add-on may change every zone: said beside it.
  await first.locator('#f-addon-msg', { hasText: 'SPEC046' }).waitFor();
  await first.getByLabel('Hosted zone ARNs', { exact: true }).fill('arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ');
  await first.locator('#f-addon-msg').waitFor({ state: 'detached' });
  // Statements: half-typed JSON is an error beside the field, the artefacts stay (stale).
  const statements = first.getByLabel('Statements (JSON)', { exact: true });
  const statement = [{ Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:ap-south-1:123456789012:alerts' }];
  await statements.fill(JSON.stringify(statement).slice(0, 40));
  await first.locator('#f-statements-msg', { hasText: 'not valid JSON' }).waitFor();
  assert.equal(await page.locator('.panels.stale').count(), 1);
  assert.ok(await assertFormWords(page, keys) >= 1);
  await statements.fill(JSON.stringify(statement, null, 2));
  await first.locator('#f-statements-msg').waitFor({ state: 'detached' });
  await first.getByLabel('Role tags', { exact: true }).fill('team=payments, env=prod');
  await first.getByLabel('Permissions boundary ARN', { exact: true }).fill('arn:aws:iam::123456789012:policy/Boundary');
  await page.waitForFunction(() => document.querySelector('section.panel[data-file="production/s3-writer/permissions-policy.json"] pre')
    ?.textContent.includes('sns:Publish'));
  const policy = await panelText(page, 'production/s3-writer/permissions-policy.json');
  for (const arn of ['arn:aws:s3:::my-app-uploads', 'arn:aws:s3:::my-app-reports/2026/*', 'table/audit', 'hostedzone/Z0123456789ABCDEFGHIJ']) {
    assert.ok(policy.includes(arn), `${arn} in ${policy}`);
  }
  await shootPart(page, first.locator('fieldset').nth(1), '8-form-rows');
  // The region suggests core's known regions with their partitions.
  const regions = await page.locator('#known-regions option').evaluateAll((os) => os.map((o) => [o.value, o.label]));
  assert.ok(regions.length >= 30, `${regions.length} regions`);
  assert.deepEqual(regions.find(([r]) => r === 'cn-north-1'), ['cn-north-1', 'partition aws-cn (China)']);
  assert.equal(await page.getByLabel('Region', { exact: true }).getAttribute('list'), 'known-regions');

  // The downloaded spec is the one the CLI reads: it writes the page's files, byte for byte.
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download spec.yaml' }).click(),
  ]);
  assert.equal(dl.suggestedFilename(), 'spec.yaml');
  const specText = await readFile(await dl.path(), 'utf8');
  assert.match(specText, /^accountId: "123456789012"\nregion: ap-south-1\n/);
  const dir = await mkdtemp(path.join(tmpdir(), 'irsa-web-spec-'));
  const specFile = path.join(dir, 'spec.yaml');
  await writeFile(specFile, specText);
  execFileSync(CLI, ['generate', '-f', specFile, '--output-dir', path.join(dir, 'out')], { stdio: 'pipe' });
  const shown = await page.locator('section.panel').evaluateAll((els) => els.map((e) => [e.dataset.file, e.querySelector('pre').textContent]));
  assert.ok(shown.length >= 10, `${shown.length} panels`);
  for (const [file, text] of shown) {
    assert.equal(await readFile(path.join(dir, 'out', file), 'utf8'), text, file);
  }
  // Download all holds exactly the CLI's files, byte for byte.
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all' }).click(),
  ]);
  const zipped = unzip(await all.path());
  const written = execFileSync('find', ['.', '-type', 'f', '!', '-name', '.*'], { cwd: path.join(dir, 'out'), encoding: 'utf8' })
    .split('\n').filter(Boolean).map((f) => f.slice(2)).sort();
  assert.deepEqual(Object.keys(zipped).sort(), written);
  for (const f of written) assert.equal(zipped[f], await readFile(path.join(dir, 'out', f), 'utf8'), f);
  console.log(`download all: ${written.length} files, ${(await stat(await all.path())).size} bytes`);

  // The share link is the page's URL, the form compressed in it: a fresh page
  // (localStorage cleared) has both bindings.
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url());
  assert.match(link, /[?&]s=[A-Za-z0-9_-]+$/);
  console.log(`share link for 2 bindings: ${link.length - base.length} characters after the address`);
  await page.evaluate(() => localStorage.clear());
  const fresh = await open('spec-link', link);
  assert.equal(await fresh.locator('section.binding').count(), 2);
  assert.equal(await fresh.locator('#f-sa-2').inputValue(), 'reader');
  assert.equal(await panelText(fresh, 'production/reader/main.tf'), await panelText(page, 'production/reader/main.tf'));
  await fresh.close();

  // Remove the second binding, then open the downloaded spec: the same
  // form, every input (rows, add-on inputs, statements) as it was.
  const formBefore = await formValues(page);
  assert.equal(formBefore['f-s3Prefix-r2'], '2026/');
  await page.getByRole('button', { name: 'Remove binding 2' }).click();
  assert.equal(await page.locator('section.binding').count(), 1);
  await page.locator('#spec-open').setInputFiles(specFile);
  await page.locator('section.binding[data-binding="2"]').waitFor();
  assert.equal(await page.locator('#f-sa-2').inputValue(), 'reader');
  assert.equal(await page.locator('#spec-opened').textContent(), '');
  assert.deepEqual(await formValues(page), formBefore);
  // A pasted spec with a value the form has no field for says so; broken
  // YAML says why and leaves the form as it was.
  await page.getByText('Paste a spec', { exact: true }).click();
  const paste = page.getByLabel('Spec (YAML or JSON)', { exact: true });
  await paste.fill(`${specText}audience: sts.example.com\n`);
  await page.getByRole('button', { name: 'Fill the form from it' }).click();
  await page.locator('#spec-opened', { hasText: 'no field yet for 1 of' }).waitFor();
  assert.match(await page.locator('#spec-opened').textContent(), /: Token audience$/);
  await assertFormWords(page, keys);
  await paste.fill('bindings: [\n');
  await page.getByRole('button', { name: 'Fill the form from it' }).click();
  await page.locator('#spec-opened', { hasText: 'SPEC001' }).waitFor();
  assert.equal(await page.locator('section.binding').count(), 2);
  await shoot(page, '8-bindings-spec');
  await rm(dir, { recursive: true, force: true });
  await page.close();
});

// The page the performance case measures: the seed form, a bucket and a
// workload, and one alternative format (Terraform) beside the five core
// artefacts: the heaviest page the form makes.
async function perfPage(page) {
  await fillSeed(page);
  await page.getByLabel('S3 bucket', { exact: true }).fill('my-app-uploads');
  await page.getByLabel('Workload name', { exact: true }).fill('my-app');
  await page.getByLabel('Workload image', { exact: true }).fill('my-app:latest');
  await page.getByLabel('Also as', { exact: true }).selectOption('main');
}

// `word` typed into the role name key by key: each keystroke's time to the
// output in the DOM, to the next animation frame and to the frame painted
// (a task queued from that frame's callback runs once the frame is drawn).
const typeWord = (page, word) => page.evaluate(async (w) => {
  const input = document.getElementById('f-role');
  const code = () => document.querySelector('section.panel[data-file="serviceaccount.yaml"] pre');
  const dom = [];
  const frame = [];
  const painted = [];
  const afterPaint = () => new Promise((r) => requestAnimationFrame(() => {
    frame.push(performance.now());
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r();
    ch.port2.postMessage(0);
  }));
  for (let i = 1; i <= w.length; i++) {
    const before = code().textContent;
    const changed = new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (code() && code().textContent !== before) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true });
    });
    const start = performance.now();
    input.value = w.slice(0, i);
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: w[i - 1] }));
    await changed;
    dom.push(performance.now() - start);
    await afterPaint();
    frame[frame.length - 1] -= start;
    painted.push(performance.now() - start);
  }
  return { dom, frame, painted, text: code().textContent, panels: document.querySelectorAll('section.panel pre').length };
}, word);

// Both words, at full speed and with the CPU slowed 4x (Chrome DevTools'
// throttle), as on a modest laptop.
async function keystrokes(page) {
  const fast = await typeWord(page, 'PaymentsWriterRoleForProduction');
  assert.match(fast.text, /role\/PaymentsWriterRoleForProduction/);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const slow = await typeWord(page, 'ThrottledWriterRole');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  assert.match(slow.text, /role\/ThrottledWriterRole/);
  return { fast, slow };
}

test('performance: keystroke to painted frame, every panel shown', async () => {
  // Keystroke to updated output, measured in the page with performance marks,
  // with every panel open. Printed, never asserted.
  const page = await open('perf', `${base}?mode=generate`);
  await perfPage(page);
  const { fast, slow } = await keystrokes(page);
  console.log(`keystroke (${fast.panels} panels open) -> output updated in the DOM: ${stats(fast.dom)}`);
  console.log(`keystroke -> next animation frame with the new output: ${stats(fast.frame)}`);
  console.log(`keystroke -> frame painted: ${stats(fast.painted)} (goal p95 <= 16 ms)`);
  console.log(`keystroke -> frame painted, CPU throttled 4x: ${stats(slow.painted)} (goal p95 <= 50 ms)`);
  await page.close();

  // The same in a Chromium that draws a frame as soon as the last one is
  // done instead of at the display's next tick: each keystroke above starts
  // right after the last one's frame is drawn, and its own frame is drawn at
  // the next 60 Hz tick, 16.7 ms after the last one's, so the painted
  // figure's median is that tick whatever the page does (only its tail
  // moves). Here the figure is the keystroke's own work to its frame
  // painted: at most 16 ms, the keystroke fits in one frame.
  const dir = await mkdtemp(path.join(tmpdir(), 'irsa-web-chromium-'));
  const unlimited = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-frame-rate-limit', '--disable-gpu-vsync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const own = await unlimited.newPage();
    watch(own, 'perf-unlimited');
    await own.goto(`${base}?mode=generate`);
    await own.waitForSelector('html[data-ready="true"]');
    await perfPage(own);
    const work = await keystrokes(own);
    console.log(`keystroke -> frame painted, frame rate unlimited (the keystroke's work): ${stats(work.fast.painted)} (goal p95 <= 16 ms)`);
    console.log(`keystroke -> frame painted, frame rate unlimited, CPU throttled 4x: ${stats(work.slow.painted)} (goal p95 <= 50 ms)`);
  } finally {
    await unlimited.close();
    await rm(dir, { recursive: true, force: true });
  }
});

// The generated trust without its sub condition (IRSA004).
const TRUST_NO_SUB = EXPECTED_TRUST.replace(/^.*:sub": .*\n/m, '');

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  namespace: production
spec:
  selector:
    matchLabels:
      app: my-app
  template:
    metadata:
      labels:
        app: my-app
    spec:
      serviceAccountName: s3-writer
      containers:
        - name: app
          image: my-app:latest
`;

async function paste(page, name, text) {
  await page.getByLabel('File name', { exact: true }).fill(name);
  await page.getByLabel('Paste a file', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Add and check' }).click();
  await page.locator(`section.panel[data-file="${name}"]`).waitFor();
}

test('check mode: findings with lines, simulate, admitted pod', async () => {
  const page = await open('check', `${base}?mode=check`);
  assert.equal(await page.getByRole('tab', { name: 'Check' }).getAttribute('aria-selected'), 'true');
  await paste(page, 'trust-policy.json', TRUST_NO_SUB);

  // IRSA004: the trust has no sub condition. Selecting it highlights its line.
  const finding = page.locator('.finding', { hasText: 'IRSA004' });
  await finding.waitFor();
  const where = await finding.locator('.where').textContent();
  const m = where.match(/^trust-policy\.json:(\d+):(\d+)$/);
  assert.ok(m, `file:line:col, got ${where}`);
  assert.match(await finding.textContent(), /error/);
  // The fix is filled from the file's own values (core's check/fixes.rs).
  assert.match(await finding.textContent(), /fix: Add "oidc\.eks\.ap-south-1\.amazonaws\.com\/id\/EXAMPLED539D4633E53DE1B716D3041E:sub"/);
  await finding.click();
  assert.equal(await finding.getAttribute('aria-pressed'), 'true');
  const hl = page.locator('section.panel[data-file="trust-policy.json"] .ln.hl');
  assert.equal(await hl.count(), 1);
  assert.equal(await hl.getAttribute('data-line'), m[1]);

  // Simulate: without a sub condition any service account of the cluster gets in.
  await page.getByLabel('Pod namespace', { exact: true }).fill('production');
  await page.getByLabel('Pod service account', { exact: true }).fill('other-app');
  const noSub = page.locator('.decision', { hasText: 'trust-policy.json' });
  assert.equal(await noSub.locator('.verdict').textContent(), 'Allow');
  // ... and the Allow says the trust has an error: it is no reason to trust it.
  assert.match(await noSub.locator('.caveat').textContent(), /IRSA004/);
  // The generated trust lets only s3-writer in.
  await paste(page, 'good-trust.json', EXPECTED_TRUST);
  const good = page.locator('.decision', { hasText: 'good-trust.json' });
  assert.equal(await good.locator('.verdict').textContent(), 'Deny');
  await page.getByLabel('Pod service account', { exact: true }).fill('s3-writer');
  assert.equal(await good.locator('.verdict').textContent(), 'Allow');
  // The CLI's options: a role in another account, where the trust's provider is not.
  await page.getByLabel('Role ARN', { exact: true }).fill('arn:aws:iam::999999999999:role/S3WriterRole');
  assert.equal(await good.locator('.verdict').textContent(), 'Deny');
  assert.match(await good.locator('.foreign').first().textContent(), /never applies/);
  await page.getByLabel('Role ARN', { exact: true }).fill('arn:aws:iam::123456789012:role/S3WriterRole');
  assert.equal(await good.locator('.verdict').textContent(), 'Allow');

  // Preview: a dropped Deployment and a pasted ServiceAccount, admitted by the webhook.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'deployment.yaml', { type: 'application/yaml' }));
    document.querySelector('.drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, DEPLOYMENT);
  await page.locator('section.panel[data-file="deployment.yaml"]').waitFor();
  await paste(page, 'serviceaccount.yaml', EXPECTED_SERVICE_ACCOUNT);
  const preview = page.locator('section[aria-labelledby="h-preview"] pre');
  await preview.waitFor();
  const admitted = await preview.evaluate((el) => el.textContent);
  assert.match(admitted, /AWS_ROLE_ARN/);
  assert.match(admitted, /arn:aws:iam::123456789012:role\/S3WriterRole/);
  assert.match(admitted, /AWS_WEB_IDENTITY_TOKEN_FILE/);
  assert.match(admitted, /aws-iam-token/);
  await finding.click();
  await shoot(page, '5-check-findings');

  // The files survive a reload (in the URL's f=, never sent anywhere), and
  // are edited in place: fixing the trust's text clears its finding.
  assert.match(page.url(), /[?&]f=[A-Za-z0-9_-]+/);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  for (const f of ['trust-policy.json', 'good-trust.json', 'deployment.yaml', 'serviceaccount.yaml']) {
    await page.locator(`section.panel[data-file="${f}"]`).waitFor();
  }
  await page.locator('.finding', { hasText: 'IRSA004' }).waitFor();
  await page.getByLabel('Text of trust-policy.json', { exact: true }).fill(EXPECTED_TRUST);
  await page.locator('.finding', { hasText: 'IRSA004' }).waitFor({ state: 'detached' });
  assert.match(await panelText(page, 'trust-policy.json'), /:sub": "system:serviceaccount:production:s3-writer"/);
  await page.getByRole('button', { name: 'Remove all files' }).click();
  await page.close();
});

test('check mode: a set with nothing checkable says so, never "no findings"', async () => {
  const page = await open('check-nothing', `${base}?mode=check`);
  await paste(page, 'trust.json', '{}');
  await paste(page, 'values.yaml', 'replicaCount: 2\nimage: nginx\n');
  await page.locator('#nothing-checked').waitFor();
  assert.match(await page.locator('#nothing-checked').textContent(), /Nothing here was checked/);
  assert.equal(await page.locator('.check-out p.ok').count(), 0);
  assert.match(await page.locator('#check-summary').textContent(), /^nothing checked in 2 files/);
  await shoot(page, '6-check-nothing');
  await page.getByRole('button', { name: 'Remove all files' }).click();
  await page.close();
});

test('check mode: placeholder values fill like --set, and the summary counts the inputs', async () => {
  const page = await open('check-set', `${base}?mode=check`);
  await paste(page, 'trust.json.tpl', EXPECTED_TRUST.replaceAll('123456789012', '${ACCOUNT_ID}'));
  const note = page.locator('.finding', { hasText: 'IRSA405' });
  await note.waitFor();
  assert.match(await page.locator('#check-summary').textContent(), /1 trust policy/);
  await page.getByLabel('Placeholder values (NAME=VALUE per line, like --set)', { exact: true }).fill('ACCOUNT_ID=123456789012');
  await note.waitFor({ state: 'detached' });
  assert.match(await page.locator('#check-summary').textContent(), /^0 errors, 0 warnings, \d+ notes? in 1 file: 1 trust policy$/);
  await page.close();
});

// A Terraform role whose trust pins only `aud` (IRSA004), as `check main.tf` reads it.
const TERRAFORM = `resource "aws_iam_role" "orders" {
  name = "orders-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
`;

test('check mode reads Terraform as the CLI does: the finding at its line in main.tf', async () => {
  const page = await open('check-terraform', `${base}?mode=check`);
  const clear = page.getByRole('button', { name: 'Remove all files' });
  if (await clear.count()) await clear.click();
  await paste(page, 'main.tf', TERRAFORM);
  const finding = page.locator('.finding', { hasText: 'IRSA004' });
  await finding.waitFor();
  assert.match(await finding.locator('.where').textContent(), /^main\.tf:\d+:\d+$/);
  assert.match(await page.locator('#check-summary').textContent(), /1 trust polic/);
  await page.getByRole('button', { name: 'Remove all files' }).click();
  await page.close();
});

const AUDIENCE_ERROR = 'An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience';
const DENIED = 'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity';

test('diagnose mode: the error in, the cause in check mode\'s files and the fix out', async () => {
  const page = await open('diagnose', `${base}?mode=check`);
  // Start without files (an earlier test's are kept in localStorage).
  const clear = page.getByRole('button', { name: 'Remove all files' });
  if (await clear.count()) await clear.click();
  // The tabs go on to Diagnose with the arrow keys, and back.
  await page.getByRole('tab', { name: 'Check' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Diagnose' }).getAttribute('aria-selected'), 'true');
  assert.match(page.url(), /mode=diagnose/);
  assert.match(await page.locator('#diag-files').textContent(), /No files/);

  const message = page.getByLabel('The error you got (SDK exception, aws CLI output, pod log, kubectl describe)', { exact: true });
  await message.fill(AUDIENCE_ERROR);
  await page.locator('#h-answer', { hasText: 'DIAG003' }).waitFor();
  assert.match(await page.locator('#diag-fix').textContent(), /add-client-id-to-open-id-connect-provider/);
  assert.ok(!page.url().includes('Incorrect'), 'the pasted error stays out of the URL');

  // Unknown text: not recognised, and the messages that are.
  await message.fill('Segmentation fault (core dumped)');
  await page.locator('#h-answer', { hasText: 'Not recognised' }).waitFor();
  assert.ok(await page.locator('.known li').count() >= 17);

  // With a trust policy in check mode whose sub has a `*` under StringEquals,
  // the AccessDenied's evidence is that finding (IRSA006), with its line and column.
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await paste(page, 'trust-policy.json', EXPECTED_TRUST.replace('production:s3-writer', 'production:*'));
  await page.getByRole('tab', { name: 'Diagnose' }).click();
  assert.match(await page.locator('#diag-files').textContent(), /1 file/);
  await message.fill(DENIED);
  await page.locator('#h-answer', { hasText: 'DIAG001' }).waitFor();
  const evidence = page.locator('.evidence .diag', { hasText: 'IRSA006' });
  await evidence.waitFor();
  assert.match(await evidence.locator('.where').textContent(), /^trust-policy\.json:\d+:\d+$/);
  await shoot(page, '7-diagnose');
  await page.getByRole('tab', { name: 'Check' }).click();
  await page.getByRole('button', { name: 'Remove all files' }).click();
  await page.close();
});

// The guide's example as a query, without a cluster name (the migration's first blocker).
const MIGRATE_EXAMPLE = 'account=123456789012&region=ap-south-1&cluster=EXAMPLED539D4633E53DE1B716D3041E&ns=production&sa=s3-writer&role=S3WriterRole&s3=my-app-uploads&s3Access=write&workload=my-app&image=my-app%3Alatest';
const WINDOWS_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  namespace: production
spec:
  template:
    spec:
      serviceAccountName: s3-writer
      nodeSelector:
        kubernetes.io/os: windows
`;

test('migrate mode: blockers with their codes, the phases and their files, each downloadable, Download all as the CLI writes it', async () => {
  // Start without check mode's files (an earlier test's are kept in localStorage).
  const start = await open('migrate-clear', `${base}?mode=check`);
  const clear = start.getByRole('button', { name: 'Remove all files' });
  if (await clear.count()) await clear.click();
  await start.close();

  const page = await open('migrate', `${base}?mode=migrate&${MIGRATE_EXAMPLE}`);
  assert.equal(await page.getByRole('tab', { name: 'Migrate' }).getAttribute('aria-selected'), 'true');
  // No cluster name: blocked, MIG001 shown with its code, no phase.
  await page.locator('#h-mig-findings', { hasText: 'Blocked' }).waitFor();
  await page.locator('.diag.error .code', { hasText: 'MIG001' }).first().waitFor();
  assert.equal(await page.locator('section.phase').count(), 0);

  // Name the cluster in Generate: three phases, each with its apply and rollback.
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByLabel('Cluster name', { exact: true }).fill('prod');
  await page.getByRole('tab', { name: 'Migrate' }).click();
  await page.locator('section.phase').nth(2).waitFor();
  const titles = await page.locator('section.phase h2').allTextContents();
  assert.deepEqual(titles.map((t) => t.split(':')[0]), ['Phase 1', 'Phase 2', 'Phase 3']);
  for (const n of [1, 2, 3]) {
    const phase = page.locator(`section.phase[data-phase="${n}"]`);
    for (const f of ['apply.sh', 'rollback.sh']) assert.equal(await phase.locator(`[data-file="phase-${n}/${f}"]`).count(), 1, `${n} ${f}`);
  }
  // The findings beside the plan are notes, with their codes (MIG050: the SDK versions).
  await page.locator('.diag .code', { hasText: 'MIG050' }).waitFor();
  assert.equal(await page.locator('.diag.error').count(), 0);

  // A file shown, then downloaded under a name of its own.
  await page.getByRole('button', { name: 'Show phase-2/apply.sh' }).click();
  const apply2 = await page.locator('[data-file="phase-2/apply.sh"] pre').textContent();
  assert.match(apply2, /kubectl rollout restart deployment\/my-app -n production/);
  await shoot(page, '9-migrate');
  const [one] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download phase-2/apply.sh' }).click(),
  ]);
  assert.equal(one.suggestedFilename(), 'phase-2-apply.sh');
  assert.equal(await readFile(await one.path(), 'utf8'), apply2);

  // Download all: every file under migration/, byte for byte what
  // `irsa-gen migrate --output-dir` writes for the page's spec.
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all' }).click(),
  ]);
  assert.equal(all.suggestedFilename(), 'irsa-gen-migration.zip');
  const zipped = unzip(await all.path());
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const [spec] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download spec.yaml' }).click(),
  ]);
  const dir = await mkdtemp(path.join(tmpdir(), 'irsa-web-migrate-'));
  await writeFile(path.join(dir, 'spec.yaml'), await readFile(await spec.path(), 'utf8'));
  execFileSync(CLI, ['migrate', '--to', 'pod-identity', '-f', path.join(dir, 'spec.yaml'), '--output-dir', path.join(dir, 'out')], { stdio: 'pipe' });
  const written = execFileSync('find', ['.', '-type', 'f', '!', '-name', '.*'], { cwd: path.join(dir, 'out'), encoding: 'utf8' })
    .split('\n').filter(Boolean).map((f) => `migration/${f.slice(2)}`).sort();
  assert.deepEqual(Object.keys(zipped).sort(), written);
  for (const f of written) assert.equal(zipped[f], await readFile(path.join(dir, 'out', f.slice('migration/'.length)), 'utf8'), f);
  console.log(`migrate download all: ${written.length} files, ${(await stat(await all.path())).size} bytes`);
  await rm(dir, { recursive: true, force: true });

  // A Windows workload in check mode blocks the move (MIG010, in its file).
  await page.getByRole('tab', { name: 'Check' }).click();
  await paste(page, 'deploy.yaml', WINDOWS_DEPLOYMENT);
  await page.getByRole('tab', { name: 'Migrate' }).click();
  const windows = page.locator('.diag.error', { hasText: 'MIG010' });
  await windows.waitFor();
  assert.match(await windows.locator('.where').textContent(), /^deploy\.yaml/);
  assert.equal(await page.locator('section.phase').count(), 0);
  await shoot(page, '9-migrate-blocked');
  await page.getByRole('tab', { name: 'Check' }).click();
  await page.getByRole('button', { name: 'Remove all files' }).click();

  // To IRSA from an IRSA spec: nothing to migrate (MIG002); the target is in the URL.
  await page.getByRole('tab', { name: 'Migrate' }).click();
  await page.getByLabel('To IRSA', { exact: true }).check();
  await page.locator('.diag.error .code', { hasText: 'MIG002' }).waitFor();
  assert.match(page.url(), /mode=migrate/);
  assert.match(page.url(), /to=irsa/);
  await page.close();
});

// The issuer and cluster of the CLI's trust fixtures (cli/tests/cli_migrate*.rs).
const MIG_ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B';
const MIG_CLUSTER = 'arn:aws:eks:us-west-2:111122223333:cluster/prod';
const MIG_TARGET = 'arn:aws:iam::444455556666:role/s3-writer';
const migFixture = (f) => readFile(path.join(ROOT, 'tests', 'fixtures', 'migrate', f), 'utf8');

/** "Download all" against `irsa-gen migrate ARGS --output-dir` run over the same trust files, byte for byte. */
async function sameAsCli(page, files, args) {
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all' }).click(),
  ]);
  assert.equal(all.suggestedFilename(), 'irsa-gen-migration.zip');
  const zipped = unzip(await all.path());
  const dir = await mkdtemp(path.join(tmpdir(), 'irsa-web-migrate-trust-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  execFileSync(CLI, ['migrate', ...args, '--output-dir', 'out'], { cwd: dir, stdio: 'pipe' });
  const written = execFileSync('find', ['.', '-type', 'f', '!', '-name', '.*'], { cwd: path.join(dir, 'out'), encoding: 'utf8' })
    .split('\n').filter(Boolean).map((f) => `migration/${f.slice(2)}`).sort();
  assert.deepEqual(Object.keys(zipped).sort(), written);
  for (const f of written) assert.equal(zipped[f], await readFile(path.join(dir, 'out', f.slice('migration/'.length)), 'utf8'), f);
  await rm(dir, { recursive: true, force: true });
  return written;
}

test('migrate mode from a trust policy: blockers in trust.json, a role chain by its target ARN, the way back, Download all as the CLI writes it, the inputs in the URL', async () => {
  const page = await open('migrate-trust', `${base}?mode=migrate`);
  await page.getByLabel('From a file', { exact: true }).check();
  await page.locator('#mig-status', { hasText: 'Paste or drop' }).waitFor();
  const trust = await migFixture('cross-account/chained/trust.json');
  await page.getByLabel('Text of trust.json').fill(trust);
  await page.getByLabel('Issuer URL', { exact: true }).fill(MIG_ISSUER);
  await page.getByLabel('Cluster ARN', { exact: true }).fill(MIG_CLUSTER);
  // The role is another account's: blocked (MIG033), placed in trust.json, in check mode's words.
  const mig033 = page.locator('.diag.error', { hasText: 'MIG033' });
  await mig033.waitFor();
  assert.match(await mig033.locator('.where').textContent(), /^trust\.json/);
  assert.equal((await mig033.locator('.sev').textContent()).toLowerCase(), 'error');
  // In the tab's words (core's page_words): its field, not the CLI's flag or command.
  const said = await mig033.textContent();
  assert.match(said, /Target role ARN/);
  assert.doesNotMatch(said, /--target-role-arn|irsa-gen migrate/);
  assert.match(await mig033.locator('.help').textContent(), /^fix: /);
  assert.equal(await page.locator('section.phase').count(), 0);

  // Its ARN as the target role: the chain's three phases, findings as notes and warnings.
  await page.getByLabel('Target role ARN', { exact: true }).fill(MIG_TARGET);
  await page.locator('section.phase').nth(2).waitFor();
  assert.equal(await page.locator('.diag.error').count(), 0);
  assert.ok((await page.locator('.findings .diag .sev').allTextContents()).every((s) => ['warning', 'note'].includes(s.toLowerCase())));
  assert.equal(await page.locator('[data-file="PLAN.md"]').count(), 1);
  await shoot(page, '9-migrate-chain');
  const chain = await sameAsCli(page, { 'trust.json': trust },
    ['--to', 'pod-identity', '--trust', 'trust.json', '--issuer', MIG_ISSUER, '--cluster-arn', MIG_CLUSTER, '--target-role-arn', MIG_TARGET]);
  console.log(`migrate chain download all: ${chain.length} files`);

  // The source and the inputs ride in the URL: a reload plans the same.
  assert.match(page.url(), /from=trust/);
  assert.match(page.url(), /mt=/);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('section.phase').nth(2).waitFor();
  assert.equal(await page.getByLabel('Target role ARN', { exact: true }).inputValue(), MIG_TARGET);

  // Back to IRSA with the target role: the source role's trust is asked for, then read.
  const back = await migFixture('cross-account-back/chained/trust.json');
  const source = await migFixture('cross-account-back/chained/source-trust.json');
  await page.getByLabel('To IRSA', { exact: true }).check();
  await page.getByLabel('Text of trust.json').fill(back);
  await page.locator('#mig-status', { hasText: "source role's trust" }).waitFor();
  await page.getByLabel('Text of source-trust.json').fill(source);
  await page.locator('section.phase').nth(2).waitFor();
  await sameAsCli(page, { 'trust.json': back, 'source-trust.json': source },
    ['--to', 'irsa', '--trust', 'trust.json', '--source-trust', 'source-trust.json', '--issuer', MIG_ISSUER, '--cluster-arn', MIG_CLUSTER, '--target-role-arn', MIG_TARGET]);

  // A trust alone, back to IRSA: the trusts of phases 1 and 3, no phase scripts.
  const alone = await migFixture('from-trust-back/ok/trust.json');
  await page.getByLabel('Target role ARN', { exact: true }).fill('');
  await page.getByLabel('Text of trust.json').fill(alone);
  await page.locator('#h-mig-trusts').waitFor();
  assert.deepEqual(await page.locator('.plan-file code').allTextContents(), ['phase-1/trust.json', 'phase-3/trust.json']);
  await sameAsCli(page, { 'trust.json': alone }, ['--to', 'irsa', '--trust', 'trust.json', '--issuer', MIG_ISSUER, '--cluster-arn', MIG_CLUSTER]);
  // Without the cluster's ARN the way back is not planned (the CLI refuses it too).
  await page.getByLabel('Cluster ARN', { exact: true }).fill('');
  await page.locator('#mig-status', { hasText: "needs the cluster's ARN" }).waitFor();
  await page.close();
});

const FROM_FILE = path.join(ROOT, 'tests', 'fixtures', 'migrate-from-file');

/** A fixture's file and the flags its `args` give (`--to`, `--role`). */
async function fromFileCase(name) {
  const dir = path.join(FROM_FILE, name);
  const file = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').find((f) => f && f !== 'args');
  let args = [];
  try { args = (await readFile(path.join(dir, 'args'), 'utf8')).split('\n').filter(Boolean); } catch { /* none */ }
  const after = (flag) => { const i = args.indexOf(flag); return i < 0 ? undefined : args[i + 1]; };
  return { file, text: await readFile(path.join(dir, file), 'utf8'), to: after('--to') || 'pod-identity', role: after('--role') };
}

/** The file given to the tab as a user gives it: chosen in the file dialog, or dropped on the editor. */
async function giveFile(page, file, text, how) {
  if (how === 'drop') {
    const drop = await page.evaluateHandle(([file, text]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], file, { type: 'text/plain' }));
      return dt;
    }, [file, text]);
    await page.locator('.mig-trust').first().dispatchEvent('drop', { dataTransfer: drop });
  } else {
    await page.locator('#mig-open-file').setInputFiles({ name: file, mimeType: 'text/plain', buffer: Buffer.from(text) });
  }
  await page.locator(`section.panel[data-file="${file}"]`).waitFor();
}

test('migrate mode from a file: Terraform, CloudFormation and get-role dumps dropped or chosen, their phase files in their own format as the CLI writes them, the role picked, the state in the URL', async () => {
  const page = await open('migrate-file', `${base}?mode=migrate&from=trust`);
  await page.getByLabel('Issuer URL', { exact: true }).fill(MIG_ISSUER);
  await page.getByLabel('Cluster ARN', { exact: true }).fill(MIG_CLUSTER);
  const cases = ['from-terraform', 'from-terraform-heredoc', 'from-terraform-policy-document', 'from-terraform-back',
    'from-cloudformation-yaml', 'from-cloudformation-json', 'from-cloudformation-sub', 'from-cloudformation-back',
    'from-get-role', 'from-list-roles', 'two-roles'];
  let i = 0;
  for (const name of cases) {
    const c = await fromFileCase(name);
    await page.getByLabel(c.to === 'irsa' ? 'To IRSA' : 'To Pod Identity', { exact: true }).check();
    await giveFile(page, c.file, c.text, i++ % 2 ? 'drop' : 'choose');
    // The file keeps its own name: the kind picker says so.
    assert.equal(await page.getByLabel('Kind of file', { exact: true }).inputValue(), c.file);
    await page.locator('#mig-all').waitFor();
    assert.equal(await page.locator('.diag.error').count(), 0, name);
    const args = ['--to', c.to, '--trust', c.file, '--issuer', MIG_ISSUER, '--cluster-arn', MIG_CLUSTER];
    const written = await sameAsCli(page, { [c.file]: c.text }, args);
    // The phase files are the user's format: the same file with the trusts replaced.
    const ext = path.extname(c.file);
    assert.ok(written.some((f) => f.startsWith('migration/phase-1/') && f.endsWith(ext)), `${name}: ${written}`);
    console.log(`migrate from ${name}/${c.file}: ${written.length} files as the CLI writes them`);
    if (name === 'from-terraform') {
      await shoot(page, '9-migrate-file');
      await shootPart(page, page.locator('section.box[aria-labelledby="h-mig-trust"]'), '9-migrate-file-part');
    }
  }

  // two-roles: every role, or the one picked (the CLI's --role); the picker and the file ride in the URL.
  const two = await fromFileCase('two-roles');
  const picker = page.getByLabel('Role of the file', { exact: true });
  assert.deepEqual(await picker.locator('option').allTextContents(),
    ['Every role this move concerns', 'aws_iam_role.app', 'aws_iam_role.payments']);
  await picker.selectOption('aws_iam_role.payments');
  await page.locator('#mig-all').waitFor();
  await sameAsCli(page, { 'main.tf': two.text },
    ['--to', 'pod-identity', '--trust', 'main.tf', '--role', 'aws_iam_role.payments', '--issuer', MIG_ISSUER, '--cluster-arn', MIG_CLUSTER]);
  assert.deepEqual(await axeViolations(page, 'migrate mode from a file, a role picked'), []);
  await shoot(page, '9-migrate-file-role');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getByLabel('Role of the file', { exact: true }).inputValue(), 'aws_iam_role.payments');
  assert.equal(await page.getByLabel('Kind of file', { exact: true }).inputValue(), 'main.tf');
  await page.locator('#mig-all').waitFor();

  // A name two roles share, as a shared link may hold it (the CLI's --role
  // payments; the picker offers only names one role has): MIG061, said
  // with the page's controls, not --role.
  const ambiguous = await fromFileCase('two-roles-ambiguous');
  const mt = deflateRawSync(Buffer.from(JSON.stringify([ambiguous.text, MIG_ISSUER, MIG_CLUSTER, '', '', '', 'main.tf', ambiguous.role])))
    .toString('base64url');
  await page.goto(`${base}?mode=migrate&from=trust&mt=${mt}`);
  await page.waitForSelector('html[data-ready="true"]');
  const mig061 = page.locator('.diag.error', { hasText: 'MIG061' });
  await mig061.waitFor();
  assert.match(await mig061.textContent(), /Role of the file/);
  assert.doesNotMatch(await mig061.textContent(), /(?<![\w-])--(trust|role)(?![\w-])|irsa-gen migrate/);
  assert.equal(await page.getByLabel('Role of the file', { exact: true }).inputValue(), 'payments');
  assert.equal(await page.locator('section.phase').count(), 0);
  assert.equal(await page.locator('#mig-all').count(), 0);
  // Every role instead: planned.
  await page.getByLabel('Role of the file', { exact: true }).selectOption('');
  await page.locator('#mig-all').waitFor();

  // A value Terraform computes where the plan reads the cluster: MIG060, no phase.
  const unresolved = await fromFileCase('template-unresolved');
  await page.getByLabel('Text of main.tf', { exact: true }).fill(unresolved.text);
  const mig060 = page.locator('.diag.error', { hasText: 'MIG060' });
  await mig060.waitFor();
  assert.match(await mig060.locator('.where').textContent(), /^main\.tf/);
  // (`aws iam get-role --role-name` is the user's command: its flag stays.)
  assert.doesNotMatch(await mig060.textContent(), /(?<![\w-])--(trust|role)(?![\w-])|irsa-gen migrate/);
  assert.equal(await page.locator('section.phase').count(), 0);

  // Pasted with no name: read by its content (a CloudFormation template), the kind picker says what it is read as.
  await page.getByLabel('Kind of file', { exact: true }).selectOption('');
  const yaml = await fromFileCase('from-cloudformation-yaml');
  await page.locator('section.panel textarea.editor-input').first().fill(yaml.text);
  await page.locator('section.panel[data-file="template.yaml"]').waitFor();
  assert.match(await page.locator('#mig-kind option:checked').textContent(), /By its content \(now template\.yaml\)/);
  await page.locator('#mig-all').waitFor();
  // Its comments are in italics: the wrapped rows still start where their numbers say, on a phone too.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const a = await lineAlignment(page, 'template.yaml');
    assert.ok(a.worst <= 1 && a.sideways <= 0, `${width} px: ${JSON.stringify(a)}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await sameAsCli(page, { 'template.yaml': yaml.text },
    ['--to', 'pod-identity', '--trust', 'template.yaml', '--issuer', MIG_ISSUER, '--cluster-arn', MIG_CLUSTER]);
  await page.close();
});

// axe-core's WCAG 2 A and AA rules over the page as it is, in both colour
// schemes. Run through the DevTools protocol (page.evaluate), which the
// page's Content Security Policy does not govern, so nothing is loaded.
const AXE = await readFile(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function axeViolations(page, state) {
  const found = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) {
      found.push(`${state}, ${scheme}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

test('accessibility: axe-core finds no WCAG 2.1 A or AA violation, light and dark', async () => {
  const found = [];
  const page = await open('axe', `${base}?mode=generate`);
  found.push(...await axeViolations(page, 'blank form'));
  await fillSeed(page);
  found.push(...await axeViolations(page, 'seed form'));
  // A field in error: the message beside it, the artefacts stale.
  await page.getByLabel('AWS account ID', { exact: true }).fill('12345');
  await page.waitForSelector('[aria-invalid="true"]');
  found.push(...await axeViolations(page, 'invalid account'));
  await page.close();
  const check = await open('axe-check', `${base}?mode=check`);
  found.push(...await axeViolations(check, 'check mode'));
  await check.close();
  const migrate = await open('axe-migrate', `${base}?mode=migrate&${MIGRATE_EXAMPLE}`);
  await migrate.locator('#h-mig-findings').waitFor();
  found.push(...await axeViolations(migrate, 'migrate mode, blocked'));
  await migrate.goto(`${base}?mode=migrate&${MIGRATE_EXAMPLE}&clusterName=prod`);
  await migrate.locator('section.phase').nth(2).waitFor();
  await migrate.getByRole('button', { name: 'Show phase-1/apply.sh' }).click();
  found.push(...await axeViolations(migrate, 'migrate mode, planned'));
  await migrate.goto(`${base}?mode=migrate&from=trust`);
  await migrate.locator('#h-mig-trust').waitFor();
  found.push(...await axeViolations(migrate, 'migrate mode, from a trust policy'));
  await migrate.close();
  assert.deepEqual(found, []);
});

// Text deflate cannot shrink (xorshift letters): packed, more than a link's 16 KiB.
function noise(n) {
  let x = 0x2545f491;
  let out = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out += String.fromCharCode(97 + ((x >>> 0) % 26));
  }
  return `# ${out}\n`;
}

const SEVERITY_RANK = { error: 0, warning: 1, note: 2 };

test('check mode as an editor: findings follow typing, the files in the URL survive a reload, severity order, link too large', async () => {
  const page = await open('check-editor', `${base}?mode=check`);
  const clear = page.getByRole('button', { name: 'Remove all files' });
  if (await clear.count()) await clear.click();
  await paste(page, 'trust-policy.json', EXPECTED_TRUST);
  await paste(page, 'serviceaccount.yaml', EXPECTED_SERVICE_ACCOUNT);
  await page.getByLabel('Placeholder values (NAME=VALUE per line, like --set)', { exact: true }).fill('UNUSED=1');
  const editor = page.getByLabel('Text of trust-policy.json', { exact: true });
  // Typing (key by key, as a user does) breaks the sub: findings follow, once typing pauses.
  const sub = 'system:serviceaccount:production:s3-writer';
  await editor.fill(EXPECTED_TRUST.replace(/^.*:sub": .*\n/m, ''));
  await editor.press('Control+End');
  await editor.pressSequentially('\n');
  const irsa004 = page.locator('.finding', { hasText: 'IRSA004' });
  await irsa004.waitFor();
  // The layer under the textarea shows the typed text, numbered.
  assert.ok(!(await panelText(page, 'trust-policy.json')).includes(sub));
  assert.equal(await page.locator('section.panel[data-file="trust-policy.json"] .ln').count(), EXPECTED_TRUST.split('\n').length);
  // The textarea's lines are the layer's: its text is exactly as tall.
  const taller = await editor.evaluate((t) => t.scrollHeight - t.clientHeight);
  assert.ok(taller <= 1, `the textarea's text is ${taller} px taller than the lines under it`);
  // The fix names this file's issuer and the set's one ServiceAccount.
  assert.match(await irsa004.locator('.help').textContent(),
    /EXAMPLED539D4633E53DE1B716D3041E:sub": "system:serviceaccount:production:s3-writer"/);

  // Grouped by file in the files' order, then "Across the files"; errors,
  // then warnings, then notes within each group.
  const groups = await page.locator('.finding-group').evaluateAll((gs) => gs.map((g) => ({
    title: g.querySelector('h3').textContent,
    sev: [...g.querySelectorAll('.sev')].map((e) => e.textContent),
  })));
  assert.ok(groups.length >= 2, JSON.stringify(groups));
  assert.match(groups[0].title, /^trust-policy\.json \(\d+\)$/);
  assert.match(groups[groups.length - 1].title, /^Across the files \(\d+\)$/);
  for (const g of groups) {
    const ranks = g.sev.map((w) => SEVERITY_RANK[w]);
    assert.ok(ranks.every((r) => r !== undefined), JSON.stringify(g));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `severity order in ${g.title}: ${g.sev}`);
  }
  assert.deepEqual(await axeViolations(page, 'check editor'), []);
  await shoot(page, '8-check-editor');

  // The edited text is in the URL: a reload (or the shared link) brings it back.
  await page.waitForFunction(() => /[?&]f=/.test(location.search));
  const shared = page.url();
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('.finding', { hasText: 'IRSA004' }).waitFor();
  assert.ok(!(await page.getByLabel('Text of trust-policy.json', { exact: true }).inputValue()).includes(sub));
  // A fresh browser's localStorage has none of it: the link alone carries the files.
  await page.evaluate(() => localStorage.clear());
  const other = await open('check-editor-link', shared);
  await other.locator('section.panel[data-file="serviceaccount.yaml"]').waitFor();
  await other.locator('.finding', { hasText: 'IRSA004' }).waitFor();
  await other.getByRole('button', { name: 'Copy share link' }).click();
  assert.equal(await other.evaluate(() => navigator.clipboard.readText()), shared);
  await other.close();

  // Past 16 KiB packed, the link holds no files and says so.
  await paste(page, 'big.yaml', noise(40000));
  await page.locator('#link-too-large').waitFor();
  assert.match(await page.locator('#link-too-large').textContent(), /too large for a link: \d+ KiB packed, a link holds at most 16 KiB/);
  await page.waitForFunction(() => !/[?&]f=/.test(location.search));
  await page.getByRole('button', { name: 'Remove big.yaml' }).click();
  await page.locator('#link-too-large').waitFor({ state: 'detached' });
  await page.waitForFunction(() => /[?&]f=/.test(location.search));
  await page.getByLabel('Placeholder values (NAME=VALUE per line, like --set)', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Remove all files' }).click();
  await page.close();
});

// A trust policy as `aws iam get-role --query Role.AssumeRolePolicyDocument
// --output json | jq -c` prints it: one line, longer than any editor.
const MINIFIED_TRUST = JSON.stringify(JSON.parse(EXPECTED_TRUST)) + '\n';

/**
 * Where each logical line starts in the textarea's own layout against where
 * its number is in the layer under it: a hidden copy of the textarea (same
 * width, font and wrapping) holds the lines before it, and its height is
 * where the line starts. Returns the worst gap in px and the rows the
 * longest line wraps into.
 */
async function lineAlignment(page, file) {
  return page.evaluate((file) => {
    const panel = document.querySelector(`section.panel[data-file="${file}"]`);
    const ta = panel.querySelector('textarea.editor-input');
    const lns = [...panel.querySelectorAll('pre.code .ln')];
    const style = getComputedStyle(ta);
    const padTop = parseFloat(style.paddingTop);
    const padBottom = parseFloat(style.paddingBottom);
    const lineHeight = parseFloat(style.lineHeight);
    const probe = ta.cloneNode();
    probe.removeAttribute('aria-label');
    probe.setAttribute('aria-hidden', 'true');
    probe.style.height = '0px';
    probe.style.visibility = 'hidden';
    ta.parentNode.appendChild(probe);
    const lines = ta.value.split('\n');
    let worst = 0;
    for (let k = 0; k < lns.length; k++) {
      probe.value = lines.slice(0, k).join('\n');
      const top = k === 0 ? padTop : probe.scrollHeight - padBottom;
      worst = Math.max(worst, Math.abs(top - lns[k].offsetTop));
    }
    probe.remove();
    const rows = Math.max(...lns.map((l) => Math.round(l.getBoundingClientRect().height / lineHeight)));
    const editor = panel.querySelector('.editor');
    return { worst, rows, lines: lns.length, sideways: editor.scrollWidth - editor.clientWidth };
  }, file);
}

test('check mode editor: long lines wrap by default with their numbers on their first row, no sideways scroll, no shift on a keystroke, the switch in the URL', async () => {
  const page = await open('editor-wrap', `${base}?mode=check`);
  const clear = page.getByRole('button', { name: 'Remove all files' });
  if (await clear.count()) await clear.click();
  await paste(page, 'minified.json', MINIFIED_TRUST);
  await paste(page, 'trust-policy.json', EXPECTED_TRUST);
  const toggle = page.getByRole('button', { name: 'Wrap long lines' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  for (const [width, device] of [[1280, 'desktop'], [390, 'phone']]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    for (const file of ['minified.json', 'trust-policy.json']) {
      const a = await lineAlignment(page, file);
      assert.ok(a.worst <= 1, `${device} ${file}: a line starts ${a.worst} px away from its number`);
      assert.ok(a.sideways <= 0, `${device} ${file}: ${a.sideways} px to scroll sideways`);
      if (file === 'minified.json') assert.ok(a.rows >= 3, `${device}: the minified trust wraps into ${a.rows} rows`);
      console.log(`editor wrap ${device} ${file}: ${a.lines} lines, the longest in ${a.rows} rows, worst gap ${a.worst.toFixed(2)} px`);
    }
    // Phones do not zoom into the editor: its text is 16 px.
    if (device === 'phone') {
      const size = await page.getByLabel('Text of minified.json', { exact: true }).evaluate((t) => getComputedStyle(t).fontSize);
      assert.equal(size, '16px');
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

  // A keystroke inside a line that does not wrap further moves nothing: the
  // panels, the editor and every other line's number stay where they were.
  await page.evaluate(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => window.__shifts.push(...l.getEntries().map((e) => ({
      value: e.value,
      // The files' column (the findings' column changes with the findings, by design).
      editor: (e.sources || []).some((s) => s.node && s.node.nodeType === 1 && s.node.closest('.check-in')),
      sources: (e.sources || []).map((s) => (s.node && s.node.nodeType === 1 ? `${s.node.tagName}.${s.node.className}` : String(s.node?.nodeName))),
    })))).observe({ type: 'layout-shift' });
  });
  // In the document's coordinates (focusing the editor may scroll the page).
  const tops = () => page.evaluate(() => [...document.querySelectorAll('section.panel')].flatMap((p) =>
    [p, ...p.querySelectorAll('.ln')].map((e) => e.getBoundingClientRect().top + window.scrollY)));
  const before = await tops();
  const editor = page.getByLabel('Text of trust-policy.json', { exact: true });
  await editor.focus();
  await editor.evaluate((t) => { const at = t.value.indexOf('"2012-10-17"'); t.setSelectionRange(at, at); });
  await editor.pressSequentially('x');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.deepEqual(await tops(), before);
  await page.waitForTimeout(300); // the findings, checked once typing pauses
  assert.deepEqual(await tops(), before);
  const shifts = await page.evaluate(() => window.__shifts);
  const shift = shifts.filter((e) => e.editor).reduce((a, b) => a + b.value, 0);
  console.log(`editor keystroke layout shift: ${shift} ${JSON.stringify(shifts)}`);
  assert.equal(shift, 0);
  await editor.press('Backspace');
  assert.deepEqual(await axeViolations(page, 'check editor, wrapped'), []);
  await shoot(page, '8-check-editor-wrap');
  await shootPart(page, page.locator('section.panel[data-file="minified.json"]'), '8-check-editor-wrap-part');

  // Off: the lines stay whole and the editor scrolls sideways; the URL says so.
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await page.waitForFunction(() => /[?&]ewrap=off/.test(location.search));
  const off = await lineAlignment(page, 'minified.json');
  assert.equal(off.rows, 1);
  assert.ok(off.sideways > 0, 'the editor scrolls sideways');
  assert.equal(off.worst, 0);
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.getByRole('button', { name: 'Wrap long lines' }).getAttribute('aria-pressed'), 'false');
  await page.getByRole('button', { name: 'Wrap long lines' }).click();
  await page.waitForFunction(() => !/[?&]ewrap=/.test(location.search));
  await page.getByRole('button', { name: 'Remove all files' }).click();
  await page.close();
});

test('no request leaves the page after load, no failed request, no console error', async () => {
  // A query wins over the kept state: a blank generate form.
  const page = await open('offline', `${base}?mode=generate`);
  const loaded = requests.length;
  await fillSeed(page);
  assert.equal(await panelText(page, 'trust-policy.json'), EXPECTED_TRUST);
  assert.equal(requests.length, loaded, `requests after load: ${JSON.stringify(requests.slice(loaded))}`);
  // The CSP forbids connections once the app runs: even to its own origin.
  const blocked = await page.evaluate(() => fetch('/index.html').then(() => 'allowed', () => 'blocked'));
  assert.equal(blocked, 'blocked');
  await page.close();
  const own = requests.filter((r) => !r.url.startsWith(base));
  assert.deepEqual(own, [], 'every request goes to the page\'s own server');
  assert.deepEqual(failures.filter((f) => !f.includes('/index.html')), []);
  assert.deepEqual(consoleErrors.filter((e) => !(e.startsWith('offline:') && /Content Security Policy|Failed to fetch/.test(e))), []);
});
