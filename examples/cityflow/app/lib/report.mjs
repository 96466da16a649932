/** The daily CSV report: one line per metric value, nested values flattened (`by_district.75011`). */
import { quoteField } from "./csv.mjs";

export const REPORT_HEADER = ["date", "metric_type", "metric", "value"];

/** Where the report of `date` is stored in the reports bucket. */
export const REPORT_PREFIX = "daily/";
export const reportKey = (date) => `${REPORT_PREFIX}cityflow-${date}.csv`;

function flatten(prefix, value, out) {
  if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  else out.push([prefix, value]);
  return out;
}

/** Renders the report of one day's metrics; the same metrics always give the same bytes. */
export function renderReport(metrics) {
  const lines = [REPORT_HEADER.join(",")];
  for (const m of metrics) {
    for (const [name, value] of flatten("", m.values, [])) {
      lines.push([m.date, m.metric_type, name, value ?? ""].map((f) => quoteField(f, ",")).join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}
