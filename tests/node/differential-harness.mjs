// What the two differential tests (differential.test.mjs for trusts,
// permissions-differential.test.mjs for permissions policies) share: the
// engine's verdict over the values a case withholds, and the comparison of
// every case with its listed exceptions. Each test keeps what is its own: how
// a case becomes the engine's request and irsa-gen's call, and the exceptions
// with the AWS documentation that decides them.

/** Every assignment of candidate values to the withheld keys. */
function assignments(withheld) {
  let out = [{}];
  for (const [key, candidates] of Object.entries(withheld)) {
    out = out.flatMap((a) => candidates.map((v) => ({ ...a, [key]: v })));
  }
  return out;
}

/**
 * The engine's verdict: one decision, or Conditional when the withheld keys
 * change it (`decide` is called once per assignment of their candidate values).
 */
export function verdictOver(withheld, decide) {
  const decisions = new Set(assignments(withheld).map(decide));
  return decisions.size === 1 ? [...decisions][0] : 'Conditional';
}

/**
 * Decides every case both ways. A disagreement is listed under the first
 * exception whose `applies({ c, ours, engine })` holds, or left unlisted.
 */
export function compare(cases, { engine: engineOf, ours: oursOf, exceptions }) {
  const tally = { Allow: 0, Deny: 0, Conditional: 0 };
  const listed = new Map();
  const unlisted = [];
  let agreed = 0;
  for (const c of cases) {
    const engine = engineOf(c);
    const ours = oursOf(c);
    tally[engine] = (tally[engine] ?? 0) + 1;
    if (ours.decision === engine) {
      agreed += 1;
      continue;
    }
    const exception = exceptions.find((x) => x.applies({ c, ours, engine }));
    if (exception) listed.set(exception.id, (listed.get(exception.id) ?? 0) + 1);
    else unlisted.push({ c, ours, engine });
  }
  return { cases: cases.length, agreed, tally, listed, unlisted };
}

/** The figures of a comparison, as lines (printed and given to the test runner). */
export function summary(title, r, extra = '') {
  const pct = ((100 * r.agreed) / r.cases).toFixed(2);
  const listedCount = [...r.listed.values()].reduce((a, b) => a + b, 0);
  return [
    `${title}: ${r.cases} cases (engine: ${r.tally.Allow} Allow, ${r.tally.Deny} Deny, ${r.tally.Conditional} Conditional), ${r.agreed} agree (${pct}%), ${listedCount} listed exceptions, ${r.unlisted.length} unlisted disagreements${extra}`,
    ...[...r.listed].map(([id, n]) => `  listed ${id}: ${n}`),
  ];
}
