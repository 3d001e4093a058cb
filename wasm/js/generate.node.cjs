'use strict';
// irsa-gen/generate for Node (CommonJS): the module is loaded synchronously on require.
const wasm = require('./irsa_generate_node.cjs');

module.exports = {
  /** Nothing to do in Node (the module is ready on require); kept for code shared with browsers. */
  init: async function init(_input) {},
  version: wasm.version,
  validateSpec: wasm.validateSpec,
  generate: wasm.generate,
};
