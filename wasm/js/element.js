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
// shows the spec's diagnostics instead of throwing. It loads its WebAssembly
// module (irsa_element_bg.wasm) once, from next to this file: the generator
// without the spec file reader, which attributes never need (wasm/src/api/element.rs).
//
// Two attributes are the page's, not the spec's: `theme` (`light`, `dark`;
// absent: the page's `color-scheme`, else the reader's preference) and
// `diagnostics` (`all`, the default; `errors` hides warnings and notes, for
// pages whose example values are placeholders on purpose). Errors always show:
// without them an element with no artefact would not say why.
import wbgInit, { renderElement } from './irsa_element.js';
import { loader } from './part.js';

const FLAGS = ['account', 'region', 'cluster-id', 'issuer', 'cluster-name', 'namespace',
  'service-account', 'role-name', 'role-path', 'audience', 'pod-identity'];
/** Attributes about how the element looks, not what it generates. */
const LOOKS = ['theme', 'diagnostics'];

const part = loader(wbgInit);
let loading;
/** Loads the module once for every element on the page. */
function ready() {
  loading ??= part.init();
  return loading;
}

// The element paints its own background, so it sets its own text colours
// too: never the page's, which a dark docs site makes light on our light
// panel. Every colour is a custom property with a light and a dark default
// (`light-dark()` follows the `color-scheme` the page or `theme` gives; the
// plain values before it are for browsers without it). Each pair of text and
// background keeps WCAG AA contrast (>= 4.5:1); tests/node/element.test.mjs
// measures it on a light and a dark page.
const STYLE = `
:host { display: block; margin: 1em 0; color-scheme: inherit;
  --irsa-fg: #1b1b1b; --irsa-bg: #f6f6f6; --irsa-caption-fg: #1b1b1b; --irsa-caption-bg: #e4e4e4;
  --irsa-border: #c8c8c8; --irsa-error: #a40000; --irsa-warning: #6b4d00; --irsa-note: #4a4a4a; }
@supports (color: light-dark(#000, #fff)) {
  :host { --irsa-fg: light-dark(#1b1b1b, #e6e6e6); --irsa-bg: light-dark(#f6f6f6, #1d1f23);
    --irsa-caption-fg: light-dark(#1b1b1b, #e6e6e6); --irsa-caption-bg: light-dark(#e4e4e4, #2c3038);
    --irsa-border: light-dark(#c8c8c8, #444a55); --irsa-error: light-dark(#a40000, #ff9c9c);
    --irsa-warning: light-dark(#6b4d00, #f0c674); --irsa-note: light-dark(#4a4a4a, #b8bcc4); }
}
@supports not (color: light-dark(#000, #fff)) {
  @media (prefers-color-scheme: dark) {
    :host(:not([theme="light"])) { --irsa-fg: #e6e6e6; --irsa-bg: #1d1f23; --irsa-caption-fg: #e6e6e6;
      --irsa-caption-bg: #2c3038; --irsa-border: #444a55; --irsa-error: #ff9c9c; --irsa-warning: #f0c674; --irsa-note: #b8bcc4; }
  }
  :host([theme="dark"]) { --irsa-fg: #e6e6e6; --irsa-bg: #1d1f23; --irsa-caption-fg: #e6e6e6;
    --irsa-caption-bg: #2c3038; --irsa-border: #444a55; --irsa-error: #ff9c9c; --irsa-warning: #f0c674; --irsa-note: #b8bcc4; }
}
:host([theme="light"]) { color-scheme: light; }
:host([theme="dark"]) { color-scheme: dark; }
figure { margin: 0; position: relative; border: 1px solid var(--irsa-border); border-radius: 4px;
  overflow: hidden; color: var(--irsa-fg); background: var(--irsa-bg); }
figcaption { display: flex; justify-content: space-between; align-items: center; gap: .5em;
  font: 600 .85em system-ui, sans-serif; padding: .3em .6em;
  color: var(--irsa-caption-fg); background: var(--irsa-caption-bg); }
.file:empty { display: none; }
button { font: inherit; font-weight: normal; cursor: pointer; color: var(--irsa-caption-fg);
  background: var(--irsa-bg); border: 1px solid var(--irsa-border); border-radius: 3px; padding: .1em .6em; }
button[hidden] { display: none; }
pre { margin: 0; padding: .8em; overflow-x: auto; color: var(--irsa-fg); background: var(--irsa-bg); }
pre:has(code:empty) { display: none; }
.diagnostics { margin: 0; padding: .4em .8em; list-style: none; font: .9em system-ui, sans-serif;
  white-space: pre-wrap; background: var(--irsa-bg); }
.diagnostics:empty { display: none; }
.error { color: var(--irsa-error); }
.warning { color: var(--irsa-warning); }
.info { color: var(--irsa-note); }
`;

/** The severities the `diagnostics` attribute lets through. */
function shownSeverities(value) {
  return (value ?? '').trim().toLowerCase() === 'errors' ? ['error'] : ['error', 'warning', 'info'];
}

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
  static get observedAttributes() { return [...FLAGS, ...LOOKS, 'kind']; }

  /** The artefact this element shows (`trust-policy`, `serviceaccount`, ...). */
  get kind() { return this.getAttribute('kind') ?? 'trust-policy'; }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style><figure part="figure">
      <figcaption part="caption"><span class="file" part="file"></span><button type="button" part="copy">Copy</button></figcaption>
      <pre part="code"><code></code></pre>
      <ul class="diagnostics" part="diagnostics" role="status"></ul></figure>`;
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
      (e) => {
        this._queued = false;
        this._show('', '', 'error', [], [{ severity: 'error', code: '', message: `irsa-gen: cannot load the WebAssembly module: ${e}`, help: '' }]);
      });
  }

  _render() {
    const result = renderElement(specFromAttributes(this), this.kind);
    if (!result.ok) {
      this._show('', '', 'error', result.diagnostics);
      return;
    }
    const artefact = result.artefact;
    if (!artefact) {
      const missing = { severity: 'error', code: '', message: `irsa-gen makes no \`${this.kind}\` for this binding`, help: '' };
      this._show('', '', 'error', [], [missing]);
      return;
    }
    this._show(artefact.file, artefact.text, 'ok', result.warnings);
  }

  /** Shows the artefact and the diagnostics the `diagnostics` attribute lets
   * through (errors first); `list` goes to the `irsa-render` event whole. */
  _show(file, text, state, list = [], extra = []) {
    this.text = text;
    this._file.textContent = file;
    this._code.textContent = text;
    const shown = shownSeverities(this.getAttribute('diagnostics'));
    const rank = { error: 0, warning: 1, info: 2 };
    const items = [...list, ...extra].filter((d) => shown.includes(d.severity))
      .sort((a, b) => rank[a.severity] - rank[b.severity])
      .map((d) => {
        const li = document.createElement('li');
        li.className = d.severity;
        li.setAttribute('part', `diagnostic ${d.severity}`);
        li.textContent = d.code ? `${d.severity} ${d.code}: ${d.message}${d.help ? `\nhelp: ${d.help}` : ''}` : d.message;
        return li;
      });
    this._diagnostics.replaceChildren(...items);
    this._diagnostics.setAttribute('role', state === 'error' ? 'alert' : 'status');
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
