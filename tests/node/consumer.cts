// A TypeScript user of the package (CommonJS); compiled with `tsc --noEmit --strict`.
import irsa = require('irsa-gen');

const result: irsa.GenerateResult = irsa.generate('accountId: "111122223333"');
const codes: string[] = result.ok ? [] : result.diagnostics.map((d: irsa.Diagnostic) => d.code);
console.log(irsa.version(), codes);
