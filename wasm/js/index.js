// irsa-gen for browsers and bundlers (ESM). Call `await init()` once first:
// it fetches irsa_wasm_bg.wasm next to this file (or what you pass).
import wbgInit, * as wasm from './irsa_wasm.js';

let ready = false;

/**
 * Loads the WebAssembly module; safe to call more than once.
 * @param {unknown} [input] URL, Response, bytes or WebAssembly.Module of irsa_wasm_bg.wasm
 * @returns {Promise<void>}
 */
export async function init(input) {
  if (ready) return;
  await wbgInit(input === undefined ? undefined : { module_or_path: input });
  ready = true;
}
export default init;

function need() {
  if (!ready) throw new Error('irsa-gen: call `await init()` before the first call');
}

export function version() { need(); return wasm.version(); }
export function validateSpec(spec, options) { need(); return wasm.validateSpec(spec, options); }
export function generate(spec, options) { need(); return wasm.generate(spec, options); }
export function check(files, options) { need(); return wasm.check(files, options); }
export function simulate(trust, claims, options) { need(); return wasm.simulate(trust, claims, options); }
export function inject(serviceAccount, workload, options) { need(); return wasm.inject(serviceAccount, workload, options); }
export function diagnose(message, options) { need(); return wasm.diagnose(message, options); }
export function simulatePolicy(policies, request) { need(); return wasm.simulatePolicy(policies, request); }
export function migrate(spec, options) { need(); return wasm.migrate(spec, options); }
export function migrateTrust(trust, options) { need(); return wasm.migrateTrust(trust, options); }
