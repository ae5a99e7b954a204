/**
 * `npm run bench [-- --scenario echo] [--rounds 4] [--budget 240] [--quick]`: runs each scenario against its
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
    rounds: { type: "string", default: "4" },
    budget: { type: "string", default: "240" },
    quick: { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
// the whole run stays under four minutes: each scenario gets an equal share of what is left, a
// round starts only if the previous ones say it fits, and a run that overstays is killed
const deadline = performance.now() + Number(values.budget) * 1000;
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
for (const [index, scenario] of selected.entries()) {
  console.log(`\n# ${scenario.name}: ${scenario.description}`);
  const results: Record<Variant, Figure[][]> = { switchboard: [], raw: [] };
  const started = performance.now();
  const share = (deadline - started) / (selected.length - index);
  let done = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const perRound = done === 0 ? 0 : (performance.now() - started) / done;
      if (performance.now() - started + perRound > share) break;
      // alternate which goes first so a burst of load elsewhere does not always hit one of them
      const order: Variant[] = round % 2 === 0 ? ["switchboard", "raw"] : ["raw", "switchboard"];
      for (const variant of order) {
        const timeoutMs = Math.max(5_000, deadline - performance.now());
        results[variant].push(
          await runScenario(scenario, variant, { quick: values.quick, timeoutMs }),
        );
      }
      done++;
    }
  } catch (error) {
    console.log(`${scenario.name} stopped: ${(error as Error).message} (out of time or failed)`);
  }
  if (done === 0) continue;
  const switchboard = combineRounds(results.switchboard);
  const raw = combineRounds(results.raw);
  console.log(renderTable(switchboard, raw));
  console.log(
    `(${done} of ${rounds} rounds, ${((performance.now() - started) / 1000).toFixed(1)}s)`,
  );
  for (const [name, figure] of switchboard) {
    const other = raw.get(name);
    if (other !== undefined && meetsTarget(figure, figure.value / other.value) === false) missed++;
  }
}
if (missed > 0) console.log(`\n${missed} figure(s) missed their target.`);
