/**
 * `npm run bench [-- --scenario echo] [--rounds 2] [--quick]`: runs each scenario against its
 * Switchboard and raw `ws` servers, alternating, each run in fresh child processes (server, load),
 * and prints every figure with the ratio Switchboard / raw and its target. Rounds combine per
 * figure: the best value by default (noise on a shared machine only makes a run slower), the mean
 * for memory.
 */
import { parseArgs } from "node:util";
import { combineRounds, meetsTarget, renderTable } from "./harness/report.js";
import { runScenario } from "./harness/run-scenario.js";
import type { Figure, Variant } from "./harness/scenario.js";
import { scenarios } from "./scenarios/index.js";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", multiple: true },
    rounds: { type: "string", default: "2" },
    quick: { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
const selected = values.scenario
  ? scenarios.filter((scenario) => values.scenario?.includes(scenario.name))
  : scenarios;
if (selected.length === 0) {
  console.error(
    `No scenario named ${values.scenario?.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}.`,
  );
  process.exit(2);
}

let missed = 0;
for (const scenario of selected) {
  console.log(`\n# ${scenario.name}: ${scenario.description}`);
  const results: Record<Variant, Figure[][]> = { switchboard: [], raw: [] };
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    // alternate which goes first so a burst of load elsewhere does not always hit the same one
    const order: Variant[] = round % 2 === 0 ? ["switchboard", "raw"] : ["raw", "switchboard"];
    for (const variant of order) {
      results[variant].push(
        await runScenario(scenario, variant, { quick: values.quick, timeoutMs: 60_000 }),
      );
    }
  }
  const switchboard = combineRounds(results.switchboard);
  const raw = combineRounds(results.raw);
  console.log(renderTable(switchboard, raw));
  console.log(`(${rounds} rounds, ${((performance.now() - started) / 1000).toFixed(1)}s)`);
  for (const [name, figure] of switchboard) {
    const other = raw.get(name);
    if (other !== undefined && meetsTarget(figure, figure.value / other.value) === false) missed++;
  }
}
if (missed > 0) console.log(`\n${missed} figure(s) missed their target.`);
