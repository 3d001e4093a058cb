// Shared by the Node (ESM, CJS) and browser suites: what the CLI prints for
// every example spec, and the same outputs rebuilt from a `generate` result.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const CLI = process.env.IRSA_GEN_BIN;
export const EXAMPLES = process.env.IRSA_EXAMPLES;
if (!CLI || !EXAMPLES) throw new Error('set IRSA_GEN_BIN and IRSA_EXAMPLES (scripts/test.d/npm.sh does)');

/** The `--only` names, as `irsa-gen generate --help` lists them. */
export const KINDS = ['trust-policy', 'permissions-policy', 'serviceaccount', 'deployment', 'verify-pod', 'setup',
  'eksctl-cluster', 'eksctl', 'main', 'cloudformation', 'cloudformation-json', 'helm-values', 'spicepodset', 'pod-identity'];

/** Every example spec: { name, file, text }. */
export function examples() {
  const names = readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  if (names.length < 6) throw new Error(`expected the six example specs in ${EXAMPLES}, found ${names}`);
  return names.map((name) => ({ name, file: join(EXAMPLES, name), text: readFileSync(join(EXAMPLES, name), 'utf8') }));
}

// What --output-dir writes about a run, not an artefact: the manifest, and
// the marker of a run in progress.
const RUN_FILES = new Set(['.irsa-gen-manifest', '.irsa-gen-incomplete']);

/** The files an --output-dir run wrote under `dir`, { relative path: text }, without the run's own. */
export function walk(dir, root = dir, out = {}) {
  for (const entry of readdirSync(dir)) {
    if (dir === root && RUN_FILES.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, root, out);
    else out[relative(root, path)] = readFileSync(path, 'utf8');
  }
  return out;
}

/**
 * With several bindings `--only` joins a kind into one file its tool reads
 * (core's catalogue says how: a script in turn, one main.tf, one template, a
 * JSON array); only these kinds stay a YAML stream of the bindings' files,
 * which a `generate` result rebuilds. The others are compared file by file
 * through --output-dir.
 */
export const STREAM_KINDS = new Set(['serviceaccount', 'deployment', 'verify-pod', 'spicepodset']);

/** Whether `--only KIND` of a spec with several bindings is compared. */
const compared = (kind, several) => !several || STREAM_KINDS.has(kind);

/** What the CLI prints and writes for a spec file: { only: {kind: stdout}, files: {path: text} }. */
export function cliOutputs(file) {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-cli-'));
  let files;
  try {
    execFileSync(CLI, ['generate', '-f', file, '--output-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    files = walk(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Several bindings write one folder each.
  const several = Object.keys(files).some((path) => path.includes('/'));
  const only = {};
  for (const kind of KINDS.filter((k) => compared(k, several))) {
    // A kind no binding has prints nothing, or (a format with conditions) exits 2 saying it "applies to no binding": null.
    const run = spawnSync(CLI, ['generate', '-f', file, '--only', kind], { encoding: 'utf8' });
    if (run.status !== 0 && !run.stderr.includes('applies to no binding')) throw new Error(`--only ${kind}: ${run.stderr}`);
    only[kind] = run.status === 0 && run.stdout !== '' ? run.stdout : null;
  }
  return { only, files };
}

/** The CLI's diagnostics for a spec text (`--format json` on stderr) and its exit code. */
export function cliDiagnostics(text, name) {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-cli-'));
  try {
    writeFileSync(join(dir, name), text);
    const run = spawnSync(CLI, ['generate', '-f', name, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const diagnostics = run.stderr.trim() ? JSON.parse(run.stderr).diagnostics : [];
    return { status: run.status, diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** The same outputs rebuilt from `generate(...)`'s bindings, as the CLI lays them out. */
export function moduleOutputs(result) {
  if (!result.ok) throw new Error(`generate failed: ${JSON.stringify(result.diagnostics)}`);
  const several = result.bindings.length > 1;
  const chosen = (kind) => result.bindings.flatMap((b) =>
    b.artefacts.filter((a) => kind === undefined || a.kind === kind)
      .map((a) => ({ path: several ? `${b.dir}/${a.file}` : a.file, text: a.text })));
  const only = {};
  for (const kind of KINDS.filter((k) => compared(k, several))) {
    const list = chosen(kind);
    // One binding: exactly the file; several: a YAML stream with each file's path.
    if (list.length === 0) only[kind] = null;
    else only[kind] = several ? list.map((c) => `---\n# Source: ${c.path}\n${c.text}`).join('') : list.map((c) => c.text).join('');
  }
  const files = {};
  for (const c of chosen()) files[c.path] = c.text;
  return { only, files };
}

/** The s3-writer example as a JavaScript object (same fields as examples/s3-writer.yaml). */
export const S3_WRITER_OBJECT = {
  accountId: '123456789012',
  region: 'ap-south-1',
  cluster: 'https://oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E',
  clusterName: 'my-cluster',
  tokenExpiration: 86400,
  bindings: [{
    namespace: 'production',
    serviceAccount: 's3-writer',
    roleName: 'S3WriterRole',
    permissions: { s3: [{ bucket: 'my-app-uploads', access: 'write' }] },
    workload: { name: 'my-app', image: 'my-app:latest', container: 'app' },
  }],
};

/** A spec with several mistakes, each a diagnostic with a position. */
export const BAD_SPEC = `accountId: "12345"
region: mars-1
cluster: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
bindings:
  - namespace: Bad_Namespace
    serviceAcount: writer
`;

export const FIXTURES = process.env.IRSA_FIXTURES;

/** Each checker fixture: { name, dir, files: [{ name, text }] } (files sorted by name). */
export function checkFixtures() {
  const root = join(FIXTURES, 'check');
  const cases = readdirSync(root).filter((c) => statSync(join(root, c)).isDirectory()).sort();
  if (cases.length < 20) throw new Error(`expected the checker fixtures in ${root}`);
  return cases.map((name) => {
    const dir = join(root, name);
    // Every file of the folder: templates (.tpl) and files check does not read (main.tf) too.
    const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).sort()
      .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
    return { name, dir, files };
  });
}

/** `irsa-gen check --format json FILES...` in `dir`: { status, diagnostics }. */
export function cliCheck(dir, names, extra = []) {
  const run = spawnSync(CLI, ['check', '--format', 'json', ...extra, ...names], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, diagnostics: JSON.parse(run.stdout).diagnostics };
}

/** Each webhook fixture: { name, dir, serviceAccount, workload, workloadFile, options }. */
export function injectFixtures() {
  const root = join(FIXTURES, 'inject');
  const cases = readdirSync(root).filter((c) => statSync(join(root, c)).isDirectory()).sort();
  if (cases.length < 10) throw new Error(`expected the inject fixtures in ${root}`);
  return cases.map((name) => {
    const dir = join(root, name);
    const workloadFile = readdirSync(dir).find((f) => f.startsWith('workload.'));
    const optionsPath = join(dir, 'options.json');
    const options = readdirSync(dir).includes('options.json') ? JSON.parse(readFileSync(optionsPath, 'utf8')) : {};
    return {
      name, dir, workloadFile, options,
      serviceAccount: readFileSync(join(dir, 'serviceaccount.yaml'), 'utf8'),
      workload: readFileSync(join(dir, workloadFile), 'utf8'),
    };
  });
}

/** The CLI flag of each webhook setting in a fixture's options.json (the module's option names). */
const INJECT_FLAGS = {
  region: '--region',
  tokenExpiration: '--token-expiration',
  audience: '--token-audience',
  annotationPrefix: '--annotation-prefix',
  tokenMountPath: '--token-mount-path',
  containerCredentialsAudience: '--container-credentials-audience',
  containerCredentialsMountPath: '--container-credentials-token-mount-path',
  containerCredentialsVolumeName: '--container-credentials-token-volume-name',
  containerCredentialsTokenPath: '--container-credentials-token-path',
  containerCredentialsFullUri: '--container-credentials-full-uri',
};

/** `irsa-gen inject` on a fixture: { status, text, findings } or { status, diagnostics }. */
export function cliInject(fixture) {
  const o = fixture.options;
  const args = ['inject', '--format', 'json', '--service-account', 'serviceaccount.yaml', fixture.workloadFile];
  for (const [key, flag] of Object.entries(INJECT_FLAGS)) {
    if (o[key] !== undefined) args.push(`${flag}=${o[key]}`);
  }
  if (o.stsRegionalEndpoints) args.push('--sts-regional-endpoints');
  if (o.podIdentity) args.push('--pod-identity');
  if (o.composeRoleArn) {
    args.push('--compose-role-arn', '--account', o.composeRoleArn.account, '--partition', o.composeRoleArn.partition);
  }
  const run = spawnSync(CLI, args, { cwd: fixture.dir, encoding: 'utf8' });
  const diagnostics = run.stderr.trim() ? JSON.parse(run.stderr).diagnostics : [];
  if (run.status === 0) return { status: 0, text: run.stdout, findings: diagnostics };
  return { status: run.status, diagnostics };
}

/** `irsa-gen simulate --format json` for a trust text: { status, simulation } or { status, diagnostics }. */
export function cliSimulate(trustText, claims) {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-cli-'));
  try {
    writeFileSync(join(dir, 'trust.json'), trustText);
    const args = ['simulate', '--format', 'json', '--trust', 'trust.json', '-n', claims.namespace, '--service-account', claims.serviceAccount];
    if (claims.audience) args.push('--audience', claims.audience);
    if (claims.issuer) args.push('--issuer', claims.issuer);
    if (claims.roleArn) args.push('--role-arn', claims.roleArn);
    if (claims.account) args.push('--account', claims.account);
    for (const [key, values] of Object.entries(claims.context ?? {})) {
      for (const v of [values].flat()) args.push('--context', `${key}=${v}`);
    }
    const run = spawnSync(CLI, args, { cwd: dir, encoding: 'utf8' });
    if (run.status === 2) return { status: 2, diagnostics: JSON.parse(run.stderr).diagnostics };
    return { status: run.status, simulation: JSON.parse(run.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The clock diagnose is given in the corpus (2024-12-02T03:10:00Z), as tests/tests/diagnose.rs. */
export const DIAGNOSE_NOW = 1733109000;

/** Each diagnose sample: { name, message, dir, files, token } (files of the folder's `files/`, sorted). */
export function diagnoseSamples() {
  const root = join(FIXTURES, 'diagnose');
  const folders = readdirSync(root).filter((c) => statSync(join(root, c)).isDirectory()).sort();
  if (folders.length < 17) throw new Error(`expected the diagnose corpus in ${root}`);
  return folders.flatMap((folder) => {
    const dir = join(root, folder, 'files');
    let names = [];
    try { names = readdirSync(dir).sort(); } catch { /* a folder without files */ }
    const files = names.map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
    let token = null;
    try { token = readFileSync(join(root, folder, 'token.jwt'), 'utf8'); } catch { /* no token */ }
    const messages = join(root, folder, 'messages');
    return readdirSync(messages).sort().map((m) => ({
      name: `${folder}/${m}`, message: readFileSync(join(messages, m), 'utf8'), dir, files, token,
      tokenPath: token === null ? null : join(root, folder, 'token.jwt'),
    }));
  });
}

/** `irsa-gen diagnose --format json` for a sample, with its files and token: { status, answer }. */
export function cliDiagnose(sample) {
  const args = ['diagnose', '--format', 'json', '--now', String(DIAGNOSE_NOW), '-m', sample.message];
  if (sample.tokenPath) args.push('--token', sample.tokenPath);
  args.push(...sample.files.map((f) => f.name));
  const cwd = sample.files.length > 0 ? sample.dir : tmpdir();
  const run = spawnSync(CLI, args, { cwd, encoding: 'utf8' });
  return { status: run.status, answer: JSON.parse(run.stdout) };
}

/** The permissions evaluator's fixture folders: { name, dir, files, boundary, requests }. */
export function permissionFixtures() {
  const root = join(process.env.IRSA_FIXTURES, 'simulate', 'permissions');
  return readdirSync(root).sort().map((name) => {
    const dir = join(root, name);
    const names = readdirSync(dir).filter((f) => f !== 'requests.json').sort();
    const file = (f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') });
    return {
      name,
      dir,
      files: names.filter((f) => !f.startsWith('boundary.')).map(file),
      boundary: names.filter((f) => f.startsWith('boundary.')).map(file)[0],
      requests: JSON.parse(readFileSync(join(dir, 'requests.json'), 'utf8')),
    };
  });
}

/** `irsa-gen simulate --policy ... --format json` in the fixture's folder: { status, simulation | diagnostics }. */
export function cliSimulatePolicy(fixture, request) {
  const args = ['simulate', '--format', 'json', '--action', request.action, '--resource', request.resource];
  for (const f of fixture.files) args.push('--policy', f.name);
  if (fixture.boundary) args.push('--boundary', fixture.boundary.name);
  for (const [key, values] of Object.entries(request.context ?? {})) {
    for (const v of [values].flat()) args.push('--context', `${key}=${v}`);
  }
  const run = spawnSync(CLI, args, { cwd: fixture.dir, encoding: 'utf8' });
  if (run.status === 2) return { status: 2, diagnostics: JSON.parse(run.stderr).diagnostics };
  return { status: run.status, simulation: JSON.parse(run.stdout) };
}
