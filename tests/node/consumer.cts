// A TypeScript user of the package (CommonJS); compiled with `tsc --noEmit --strict`.
import irsa = require('irsa-gen');

const result: irsa.GenerateResult = irsa.generate('accountId: "111122223333"');
const codes: string[] = result.ok ? [] : result.diagnostics.map((d: irsa.Diagnostic) => d.code);
console.log(irsa.version(), codes);

import generatePart = require('irsa-gen/generate');
import checkPart = require('irsa-gen/check');

const generated: generatePart.GenerateResult = generatePart.generate('accountId: "111122223333"');
const checked: checkPart.CheckResult = checkPart.check([{ name: 'trust.json', text: '{}' }]);
console.log(generated.ok, checked.ok, checkPart.version());
