// irsa-gen for Node (ESM): the module is loaded synchronously on import.
import { readFileSync } from 'node:fs';
import { initSync, version, validateSpec, generate, check, simulate, inject, diagnose, simulatePolicy, migrate, migrateTrust } from './irsa_wasm.js';

initSync({ module: readFileSync(new URL('./irsa_wasm_bg.wasm', import.meta.url)) });

/** Nothing to do in Node (the module is ready on import); kept for code shared with browsers. */
export async function init(_input) {}
export default init;
export { version, validateSpec, generate, check, simulate, inject, diagnose, simulatePolicy, migrate, migrateTrust };
