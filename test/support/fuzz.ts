/**
 * Run settings for the property-based fuzz tests (`*.property.test.ts`). Runs are bounded so the
 * suite stays fast; a failure prints its seed, path and counterexample. Replay one with
 * `FC_SEED=<seed> FC_PATH=<path> node scripts/test.js <file>`, or search longer locally with
 * `FC_RUNS=10000`.
 */
import type { Parameters } from "fast-check";

/** `fc.assert` parameters: `numRuns` cases, unless `FC_RUNS`, `FC_SEED` or `FC_PATH` say otherwise. */
export function fuzzRuns<T>(numRuns: number): Parameters<T> {
  const { FC_RUNS, FC_SEED, FC_PATH } = process.env;
  return {
    numRuns: FC_RUNS === undefined ? numRuns : Number(FC_RUNS),
    ...(FC_SEED !== undefined && { seed: Number(FC_SEED) }),
    ...(FC_PATH !== undefined && { path: FC_PATH }),
  };
}
