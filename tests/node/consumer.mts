// A TypeScript user of the package (ESM); compiled with `tsc --noEmit --strict`.
import init, { generate, validateSpec, version } from 'irsa-gen';
import type { Artefact, Diagnostic, GenerateResult, Spec, ValidateResult } from 'irsa-gen';

await init();

const spec: Spec = {
  accountId: '111122223333',
  region: 'us-west-2',
  cluster: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
  bindings: [{ namespace: 'production', serviceAccount: ['api', 'worker'], permissions: { s3: [{ bucket: 'b', access: 'read-write' }] } }],
};

const result: GenerateResult = generate(spec);
if (result.ok) {
  const trust: Artefact | undefined = result.bindings[0]?.artefacts.find((a) => a.kind === 'trust-policy');
  const text: string = trust?.text ?? '';
  const warnings: Diagnostic[] = result.warnings;
  console.log(text.length, warnings.length, result.bindings[0]?.roleArn);
} else {
  for (const d of result.diagnostics) {
    const where: string = `${d.file ?? '<spec>'}:${d.line ?? 0}:${d.column ?? 0} ${d.path ?? ''}`;
    console.log(d.code, d.severity, where, d.message, d.help, d.failure ?? '');
  }
}

const checked: ValidateResult = validateSpec('accountId: "1"', { file: 'irsa.yaml' });
if (checked.ok) {
  const partition: string = checked.spec.partition;
  console.log(partition, checked.spec.issuers.map((i) => i.hostPath));
}
console.log(version());

import { check, inject, simulate } from 'irsa-gen';
import type { CheckResult, Decision, ForeignProvider, InjectResult, RoleSource, SimulateResult, SourceFile } from 'irsa-gen';

const files: SourceFile[] = [{ name: 'trust.json', text: '{}' }];
const findings: CheckResult = check(files, { maxTrustPolicyLength: 4096 });
console.log(findings.ok, findings.diagnostics.map((d) => d.code));

const decided: SimulateResult = simulate({ Version: '2012-10-17', Statement: [] }, { namespace: 'ns', serviceAccount: 'sa' });
if (decided.ok) {
  const decision: Decision = decided.decision;
  console.log(decision, decided.results.map((r) => `${r.provider} ${r.statement ?? '-'} ${r.condition ?? '-'} ${r.reason}`));
}

const withRole: SimulateResult = simulate('{}', {
  namespace: 'ns',
  serviceAccount: 'sa',
  roleArn: 'arn:aws:iam::111122223333:role/app',
  context: { 'aws:SourceIp': '10.1.2.3', 'sts:RoleSessionName': ['botocore-session-1'] },
});
if (withRole.ok) {
  const source: RoleSource = withRole.role.source;
  const conditional: Decision = 'Conditional';
  for (const r of withRole.results) {
    const foreign: ForeignProvider[] = r.foreign;
    console.log(source, r.decision === conditional, r.dependsOn.join(), r.role?.account, foreign.map((f) => f.statement));
  }
}

const admitted: InjectResult = inject('kind: ServiceAccount', 'kind: Pod', { region: 'eu-west-1', stsRegionalEndpoints: true });
console.log(admitted.ok ? admitted.text : admitted.diagnostics.length);

import { diagnose } from 'irsa-gen';
import type { Diagnosis, DiagnoseMessage, TokenFacts } from 'irsa-gen';

const answer: Diagnosis = diagnose('InvalidIdentityToken: Incorrect token audience', { files, token: 'a.b.c', now: 0 });
const recognised: DiagnoseMessage | null = answer.message;
const claims: TokenFacts | null = answer.token;
console.log(recognised?.code ?? answer.known.join(), answer.fix ?? '', claims?.aud.join(), answer.extracted.issuer,
  answer.evidence.map((d) => d.code), answer.decisions.map((d) => `${d.file} ${d.evaluation.decision}`),
  answer.permissions?.decision);

import { simulatePolicy } from 'irsa-gen';
import type { Missing, PolicyElement, PolicySet, PolicySimulationResult, StatementRef } from 'irsa-gen';

const permitted: PolicySimulationResult = simulatePolicy(files, {
  action: 's3:PutObject',
  resource: 'arn:aws:s3:::my-app-uploads/a.txt',
  context: { 'aws:username': 'alice', 'aws:TagKeys': ['team', 'env'] },
  boundary: { name: 'boundary.json', text: '{}' },
});
if (permitted.ok) {
  const by: PolicySet = permitted.decidedBy;
  const at: StatementRef | null = permitted.statement;
  const lacks: Missing | null = permitted.missing;
  const element: PolicyElement | undefined = lacks?.element;
  console.log(permitted.decision, by, at?.line, at?.sid, element, permitted.identity.reason, permitted.boundary?.decision, permitted.dependsOn);
} else {
  console.log(permitted.diagnostics.map((d) => d.code));
}

import { migrate } from 'irsa-gen';
import type { MigrateResult, MigrationDirection, Phase, PlanFile } from 'irsa-gen';

const plan: MigrateResult = migrate('accountId: "111122223333"', { to: 'pod-identity', file: 'irsa.yaml', workloads: files });
if (plan.ok) {
  const towards: MigrationDirection = plan.direction;
  const first: Phase | undefined = plan.phases[0];
  const all: PlanFile[] = plan.files;
  console.log(towards, first?.number, first?.title, first?.files.map((f) => f.path), all.length, plan.warnings.length);
} else {
  console.log(plan.diagnostics.map((d) => d.code));
}

import { migrateTrust } from 'irsa-gen';
import type { MigrateTrustResult, TrustMigration } from 'irsa-gen';

const fromTrust: MigrateTrustResult = migrateTrust('{}', {
  to: 'pod-identity', issuer: 'https://oidc.eks.us-west-2.amazonaws.com/id/AAAA', clusterArn: 'arn:aws:eks:us-west-2:111122223333:cluster/prod',
  file: 'trust.json', targetRoleArn: 'arn:aws:iam::444455556666:role/r', sourceRoleName: 'r-pod-identity',
});
if (fromTrust.ok) {
  const chain: TrustMigration = fromTrust;
  console.log(chain.direction, chain.phases.length, chain.files.map((f) => f.path), chain.diagnostics.length);
} else {
  console.log(fromTrust.diagnostics.map((d) => d.code));
}

// The package's two parts: the same functions and types, each from its own smaller .wasm.
import initGenerate, { generate as generateOnly } from 'irsa-gen/generate';
import type { GenerateResult as OnlyResult } from 'irsa-gen/generate';
import initCheck, { check as checkOnly } from 'irsa-gen/check';
import type { CheckResult as CheckOnlyResult } from 'irsa-gen/check';

await initGenerate(new URL('https://example.invalid/irsa_generate_bg.wasm'));
await initCheck();
const only: OnlyResult = generateOnly(spec);
const checkedOnly: CheckOnlyResult = checkOnly([{ name: 'trust.json', text: '{}' }]);
console.log(only.ok, checkedOnly.ok);
