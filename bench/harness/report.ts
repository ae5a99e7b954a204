import type { Figure } from "./scenario.js";

/** Per figure name, the rounds combined as the figure says: the best value, or the mean. */
export function combineRounds(rounds: Figure[][]): Map<string, Figure> {
  const all = new Map<string, Figure[]>();
  for (const figures of rounds) {
    for (const figure of figures) all.set(figure.name, [...(all.get(figure.name) ?? []), figure]);
  }
  const combined = new Map<string, Figure>();
  for (const [name, figures] of all) {
    const first = figures[0] as Figure;
    const values = figures.map((figure) => figure.value);
    const value =
      first.combine === "mean"
        ? values.reduce((sum, v) => sum + v, 0) / values.length
        : first.better === "higher"
          ? Math.max(...values)
          : Math.min(...values);
    combined.set(name, { ...first, value });
  }
  return combined;
}

/** Whether a ratio Switchboard / raw meets the figure's target (`null`: no target). */
export function meetsTarget(figure: Figure, ratio: number): boolean | null {
  if (figure.target === undefined) return null;
  return figure.better === "higher" ? ratio >= figure.target : ratio <= figure.target;
}

function format(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(value >= 10 ? 1 : 2);
}

/** A text table: figure, both values, the ratio, the target and whether it holds. */
export function renderTable(switchboard: Map<string, Figure>, raw: Map<string, Figure>): string {
  const rows = [["figure", "unit", "switchboard", "raw ws", "ratio", "target", ""]];
  for (const [name, figure] of switchboard) {
    const other = raw.get(name);
    if (other === undefined) continue;
    const ratio = figure.value / other.value;
    const ok = meetsTarget(figure, ratio);
    const target =
      figure.target === undefined
        ? ""
        : `${figure.better === "higher" ? ">=" : "<="} ${figure.target}`;
    rows.push([
      name,
      figure.unit,
      format(figure.value),
      format(other.value),
      ratio.toFixed(2),
      target,
      ok === null ? "" : ok ? "ok" : "MISS",
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join("  "),
    )
    .join("\n");
}
