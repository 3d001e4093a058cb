// A TypeScript docs-site script using irsa-gen/element (checked by tsc --strict, not run).
import { IrsaTrustPolicy, specFromAttributes } from 'irsa-gen/element';
import type { IrsaRenderDetail } from 'irsa-gen/element';

const trust: IrsaTrustPolicy | null = document.querySelector('irsa-trust-policy');
if (trust) {
  trust.setAttribute('namespace', 'batch');
  trust.addEventListener('irsa-render', (event) => {
    const detail: IrsaRenderDetail = event.detail;
    const text: string = detail.ok ? detail.text : detail.diagnostics.map((d) => d.code).join(' ');
    console.log(text, trust.kind, specFromAttributes(trust).accountId);
  });
  void trust.copy();
}
const created = document.createElement('irsa-service-account');
const kind: string = created.kind;
console.log(kind);
