// irsa-gen custom elements for docs sites (`import 'irsa-gen/element'`):
//
//   <irsa-trust-policy account="111122223333" region="us-west-2"
//     cluster-id="EXAMPLED539D4633E53DE1B71EXAMPLE" namespace="production"
//     service-account="s3-writer"></irsa-trust-policy>
//   <irsa-service-account ... role-name="S3WriterRole"></irsa-service-account>
//   <irsa-artefact kind="setup" ...></irsa-artefact>   (any `--only` name)
//
// Attributes are named like the CLI's flags (account, region, cluster-id or
// issuer, cluster-name, namespace, service-account (a comma-separated list),
// role-name, role-path, audience, pod-identity) and the text is byte for byte
// what `irsa-gen generate ... --only KIND` prints. The element renders the
// artefact with a copy button, renders again when an attribute changes, and
// shows the spec's diagnostics instead of throwing. It loads the WebAssembly
// module once, from next to this file.
import init, { generate } from './index.js';

const FLAGS = ['account', 'region', 'cluster-id', 'issuer', 'cluster-name', 'namespace',
  'service-account', 'role-name', 'role-path', 'audience', 'pod-identity'];

let loading;
/** Loads the module once for every element on the page. */
function ready() {
  loading ??= init();
  return loading;
}

const STYLE = `
:host { display: block; margin: 1em 0; }
figure { margin: 0; position: relative; }
figcaption { display: flex; justify-content: space-between; align-items: center;
  font: 600 .85em system-ui, sans-serif; padding: .3em .6em; background: #e8e8e8; }
button { font: inherit; font-weight: normal; cursor: pointer; }
pre { margin: 0; padding: .8em; overflow-x: auto; background: #f6f6f6; }
.diagnostics { color: #a00; white-space: pre-wrap; font: .9em system-ui, sans-serif; }
.diagnostics:empty { display: none; }
`;

/** The spec the attributes describe, as the CLI's flags build it. */
export function specFromAttributes(element) {
  const attr = (name) => {
    const v = element.getAttribute(name);
    return v === null || v.trim() === '' ? undefined : v.trim();
  };
  const serviceAccounts = (attr('service-account') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const binding = {
    namespace: attr('namespace'),
    serviceAccount: serviceAccounts.length === 1 ? serviceAccounts[0] : serviceAccounts,
    roleName: attr('role-name'),
    rolePath: attr('role-path'),
  };
  const spec = {
    accountId: attr('account'),
    region: attr('region'),
    cluster: attr('issuer') ?? attr('cluster-id'),
    clusterName: attr('cluster-name'),
    identityType: element.hasAttribute('pod-identity') ? 'pod-identity' : undefined,
    audience: attr('audience'),
    bindings: [binding],
  };
  return JSON.parse(JSON.stringify(spec)); // drops the undefined fields
}

/** One generated artefact, with a copy button. */
export class IrsaArtefact extends HTMLElement {
  static get observedAttributes() { return [...FLAGS, 'kind']; }

  /** The artefact this element shows (`trust-policy`, `serviceaccount`, ...). */
  get kind() { return this.getAttribute('kind') ?? 'trust-policy'; }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style><figure part="figure">
      <figcaption part="caption"><span class="file"></span><button type="button" part="copy">Copy</button></figcaption>
      <pre part="code"><code></code></pre>
      <div class="diagnostics" part="diagnostics" role="alert"></div></figure>`;
    this._file = root.querySelector('.file');
    this._code = root.querySelector('code');
    this._diagnostics = root.querySelector('.diagnostics');
    this._button = root.querySelector('button');
    this._button.addEventListener('click', () => this.copy());
    /** The text shown, exactly what the CLI prints ('' when the spec is invalid). */
    this.text = '';
    this._queued = false;
  }

  connectedCallback() { this._schedule(); }

  attributeChangedCallback() { if (this.isConnected) this._schedule(); }

  /** Renders once after a batch of attribute changes. */
  _schedule() {
    if (this._queued) return;
    this._queued = true;
    ready().then(() => { this._queued = false; this._render(); },
      (e) => { this._queued = false; this._show('', '', `irsa-gen: cannot load the WebAssembly module: ${e}`, 'error'); });
  }

  _render() {
    const result = generate(specFromAttributes(this));
    const explain = (list) => list.map((d) => `${d.severity} ${d.code}: ${d.message}\nhelp: ${d.help}`).join('\n');
    if (!result.ok) {
      this._show('', '', explain(result.diagnostics), 'error', result.diagnostics);
      return;
    }
    const artefact = result.bindings[0]?.artefacts.find((a) => a.kind === this.kind);
    if (!artefact) {
      this._show('', '', `irsa-gen makes no \`${this.kind}\` for this binding`, 'error', []);
      return;
    }
    this._show(artefact.file, artefact.text, explain(result.warnings), 'ok', result.warnings);
  }

  _show(file, text, diagnostics, state, list = []) {
    this.text = text;
    this._file.textContent = file;
    this._code.textContent = text;
    this._diagnostics.textContent = diagnostics;
    this._button.hidden = text === '';
    this.dataset.state = state;
    this.dispatchEvent(new CustomEvent('irsa-render', { detail: { ok: state === 'ok', text, diagnostics: list } }));
  }

  /** Copies the text to the clipboard; the button says so for a moment. */
  async copy() {
    try {
      await navigator.clipboard.writeText(this.text);
      this._button.textContent = 'Copied';
    } catch {
      // No clipboard (an insecure page, or denied): select the text for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(this._code);
      const selection = this.shadowRoot.getSelection?.() ?? document.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this._button.textContent = 'Selected';
    }
    clearTimeout(this._reset);
    this._reset = setTimeout(() => { this._button.textContent = 'Copy'; }, 1500);
  }
}

/** `<irsa-trust-policy>`: the role's trust policy (trust-policy.json). */
export class IrsaTrustPolicy extends IrsaArtefact {
  get kind() { return 'trust-policy'; }
}

/** `<irsa-service-account>`: the annotated ServiceAccount (serviceaccount.yaml). */
export class IrsaServiceAccount extends IrsaArtefact {
  get kind() { return 'serviceaccount'; }
}

for (const [name, cls] of [['irsa-artefact', IrsaArtefact], ['irsa-trust-policy', IrsaTrustPolicy],
  ['irsa-service-account', IrsaServiceAccount]]) {
  if (!customElements.get(name)) customElements.define(name, cls);
}
