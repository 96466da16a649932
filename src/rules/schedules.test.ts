import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

const job = (fields: string) => `name: s\njobs:\n  nightly: { run: x, timeout: 10m, ${fields} }\n`;

describe("schedules rule", () => {
  it("accepts cron, calendar forms and an IANA time zone", () => {
    for (const schedule of ["0 2 * * *", "daily at 02:00", "every 15m", "weekly on mon,thu at 03:00", "@hourly", "*/5 9-17 * * mon-fri"])
      expect(codesOf(job(`schedule: "${schedule}", timezone: Europe/Paris`))).toEqual([]);
  });

  it("reports an unknown time zone at the timezone key's value", () => {
    const [d] = analyzeText(job('schedule: "0 2 * * *", timezone: Mars/Olympus')).diagnostics;
    expect([d?.code, d?.line, d?.path.join(".")]).toEqual(["schedule/timezone", 3, "jobs.nightly.timezone"]);
  });

  it("reports an invalid cron field with the field's range", () => {
    const [d] = analyzeText(job('schedule: "61 * * * *"')).diagnostics;
    expect(d?.code).toBe("schedule/invalid");
    expect(d?.message).toContain("out of range for minute (0-59)");
  });

  it("refuses cron with both day of month and weekday, whose meaning differs between schedulers", () => {
    const [d] = analyzeText(job('schedule: "0 2 1 * 1"')).diagnostics;
    expect(d?.code).toBe("schedule/invalid");
    expect(d?.message).toContain("both a day of month and a weekday");
  });

  it("reports calendar forms that do not parse", () => {
    expect(codesOf(job('schedule: "daily at 25:00"'))).toEqual(["schedule/invalid"]);
    expect(codesOf(job('schedule: "every 7m"'))).toEqual(["schedule/invalid"]);
    expect(codesOf(job('schedule: "sometimes"'))).toEqual(["schedule/invalid"]);
  });

  it("checks backup schedules of resources", () => {
    const text = 'name: s\nresources:\n  db: { type: postgres, backups: { retention: 7d, schedule: "never" } }\n';
    const [d] = analyzeText(text).diagnostics;
    expect([d?.code, d?.path.join(".")]).toEqual(["schedule/invalid", "resources.db.backups.schedule"]);
    expect(codesOf('name: s\nresources:\n  db: { type: postgres, backups: { retention: 7d, schedule: "daily at 03:00" } }\n')).toEqual([]);
  });
});
