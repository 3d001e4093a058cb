'use strict';
// irsa-gen/check for Node (CommonJS): the module is loaded synchronously on require.
const wasm = require('./irsa_check_node.cjs');

module.exports = {
  /** Nothing to do in Node (the module is ready on require); kept for code shared with browsers. */
  init: async function init(_input) {},
  version: wasm.version,
  check: wasm.check,
  simulate: wasm.simulate,
  inject: wasm.inject,
  diagnose: wasm.diagnose,
  simulatePolicy: wasm.simulatePolicy,
};
