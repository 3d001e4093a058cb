// irsa-gen/check for browsers and bundlers (ESM): check, simulate,
// simulatePolicy, inject and diagnose only, from irsa_check_bg.wasm. Call
// `await init()` once first: it fetches irsa_check_bg.wasm next to this file
// (or what you pass).
import wbgInit, * as wasm from './irsa_check.js';
import { loader } from './part.js';

const part = loader(wbgInit);

/**
 * Loads the WebAssembly module; safe to call more than once.
 * @param {unknown} [input] URL, Response, bytes or WebAssembly.Module of irsa_check_bg.wasm
 * @returns {Promise<void>}
 */
export const init = part.init;
export default init;

export function version() { part.need(); return wasm.version(); }
export function check(files, options) { part.need(); return wasm.check(files, options); }
export function simulate(trust, claims, options) { part.need(); return wasm.simulate(trust, claims, options); }
export function inject(serviceAccount, workload, options) { part.need(); return wasm.inject(serviceAccount, workload, options); }
export function diagnose(message, options) { part.need(); return wasm.diagnose(message, options); }
export function simulatePolicy(policies, request) { part.need(); return wasm.simulatePolicy(policies, request); }
