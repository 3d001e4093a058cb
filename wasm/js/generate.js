// irsa-gen/generate for browsers and bundlers (ESM): validateSpec and generate
// only, from the smaller irsa_generate_bg.wasm. Call `await init()` once
// first: it fetches irsa_generate_bg.wasm next to this file (or what you pass).
import wbgInit, * as wasm from './irsa_generate.js';
import { loader } from './part.js';

const part = loader(wbgInit);

/**
 * Loads the WebAssembly module; safe to call more than once.
 * @param {unknown} [input] URL, Response, bytes or WebAssembly.Module of irsa_generate_bg.wasm
 * @returns {Promise<void>}
 */
export const init = part.init;
export default init;

export function version() { part.need(); return wasm.version(); }
export function validateSpec(spec, options) { part.need(); return wasm.validateSpec(spec, options); }
export function generate(spec, options) { part.need(); return wasm.generate(spec, options); }
