// Types of irsa-gen/generate: validateSpec and generate, from their own
// WebAssembly module (irsa_generate_bg.wasm). The types are the package's.
export type * from './index.js';
export { version, validateSpec, generate } from './index.js';

/**
 * Loads `irsa_generate_bg.wasm`. Required once before the first call in
 * browsers and bundlers (it fetches the file next to the module, or the URL,
 * Response, bytes or WebAssembly.Module given); a no-op in Node, where the
 * module is ready on import. Safe to call more than once.
 */
export function init(input?: unknown): Promise<void>;

export default init;
