'use strict';
// irsa-gen for Node (CommonJS): the module is loaded synchronously on require.
const wasm = require('./irsa_wasm_node.cjs');

module.exports = {
  /** Nothing to do in Node (the module is ready on require); kept for code shared with browsers. */
  init: async function init(_input) {},
  version: wasm.version,
  validateSpec: wasm.validateSpec,
  generate: wasm.generate,
  check: wasm.check,
  simulate: wasm.simulate,
  inject: wasm.inject,
  diagnose: wasm.diagnose,
  simulatePolicy: wasm.simulatePolicy,
  migrate: wasm.migrate,
  migrateTrust: wasm.migrateTrust,
};
