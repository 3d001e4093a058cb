// Types of irsa-gen/element: custom elements for docs sites (browsers only).
import type { Diagnostic, Spec } from './index.js';

/** The spec an element's attributes describe, as the CLI's flags build it. */
export declare function specFromAttributes(element: Element): Spec;

/** Detail of the `irsa-render` event an element dispatches after each render. */
export interface IrsaRenderDetail {
  ok: boolean;
  /** The artefact's text ('' when the spec is invalid). */
  text: string;
  /** The spec's errors, or its warnings when `ok`. */
  diagnostics: Diagnostic[];
}

/** `<irsa-artefact kind="...">`: one generated artefact, with a copy button.
 * Besides the CLI's flags it reads `theme` (`light` or `dark`; absent: the
 * page's `color-scheme`) and `diagnostics` (`errors` hides warnings and notes). */
export declare class IrsaArtefact extends HTMLElement {
  /** The `--only` name of the artefact shown. */
  readonly kind: string;
  /** The text shown, byte for byte what the CLI prints. */
  text: string;
  /** Copies the text to the clipboard (or selects it when there is none). */
  copy(): Promise<void>;
}

/** `<irsa-trust-policy>`: the role's trust policy. */
export declare class IrsaTrustPolicy extends IrsaArtefact {}

/** `<irsa-service-account>`: the annotated ServiceAccount. */
export declare class IrsaServiceAccount extends IrsaArtefact {}

declare global {
  interface HTMLElementTagNameMap {
    'irsa-artefact': IrsaArtefact;
    'irsa-trust-policy': IrsaTrustPolicy;
    'irsa-service-account': IrsaServiceAccount;
  }
  interface HTMLElementEventMap {
    'irsa-render': CustomEvent<IrsaRenderDetail>;
  }
}
