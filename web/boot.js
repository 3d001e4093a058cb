// Starts the playground: loads the wasm module trunk built (names from the
// data attributes of this script's tag), then forbids every connection.
const tag = document.querySelector('script[data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
const lock = document.createElement('meta');
lock.httpEquiv = 'Content-Security-Policy';
lock.content = "connect-src 'none'";
document.head.append(lock);
document.documentElement.dataset.ready = 'true';
