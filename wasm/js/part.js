// What the browser entries of both parts share: load the module once, and
// refuse a call before it is loaded.
export function loader(wbgInit) {
  let ready = false;
  return {
    async init(input) {
      if (ready) return;
      await wbgInit(input === undefined ? undefined : { module_or_path: input });
      ready = true;
    },
    need() {
      if (!ready) throw new Error('irsa-gen: call `await init()` before the first call');
    },
  };
}
