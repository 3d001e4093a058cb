// irsa-gen/check for Node (ESM): the module is loaded synchronously on import.
import { readFileSync } from 'node:fs';
import { initSync, version, check, simulate, inject, diagnose, simulatePolicy } from './irsa_check.js';

initSync({ module: readFileSync(new URL('./irsa_check_bg.wasm', import.meta.url)) });

/** Nothing to do in Node (the module is ready on import); kept for code shared with browsers. */
export async function init(_input) {}
export default init;
export { version, check, simulate, inject, diagnose, simulatePolicy };
