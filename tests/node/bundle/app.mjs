// A bundled app (esbuild, platform browser): the package is resolved through
// its `exports` map like any dependency, and init() finds the .wasm next to the bundle.
import init, { generate, version } from 'irsa-gen';

await init();
const spec = document.getElementById('spec').textContent;
const result = generate(spec);
window.bundled = { version: version(), result };
document.body.dataset.ready = 'yes';
