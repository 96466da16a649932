import { execFileSync } from "node:child_process";
import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { cronToCalendar, isTimeZone, parseSchedule } from "./schedule.js";

function converted(source: string, zone = "UTC"): [string, string] {
  const result = parseSchedule(source, zone);
  if (!result.ok) throw new Error(result.error);
  return [result.schedule.cron, result.schedule.calendar];
}

const error = (source: string) => {
  const result = parseSchedule(source);
  return result.ok ? null : result.error;
};

const cases: [string, string, string][] = [
  ["0 2 * * *", "0 2 * * *", "*-*-* 02:00:00"],
  ["*/15 * * * *", "*/15 * * * *", "*-*-* *:00/15:00"],
  ["0 */6 * * *", "0 */6 * * *", "*-*-* 00/6:00:00"],
  ["5-10/2 * * * *", "5,7,9 * * * *", "*-*-* *:05,07,09:00"],
  ["0,30 9-17 * * 1-5", "0,30 9-17 * * 1-5", "Mon..Fri *-*-* 09..17:00,30:00"],
  ["1,2,3,5 * * * *", "1-3,5 * * * *", "*-*-* *:01..03,05:00"],
  ["0 3 * * 7", "0 3 * * 0", "Sun *-*-* 03:00:00"],
  ["0 3 * * sun", "0 3 * * 0", "Sun *-*-* 03:00:00"],
  ["0 3 * * mon,wed,fri", "0 3 * * 1,3,5", "Mon,Wed,Fri *-*-* 03:00:00"],
  ["0 2 * * 5-7", "0 2 * * 0,5,6", "Sun,Fri,Sat *-*-* 02:00:00"],
  ["0 2 * * 0-6/2", "0 2 * * 0,2,4,6", "Sun,Tue,Thu,Sat *-*-* 02:00:00"],
  ["5 4 * * 0-6", "5 4 * * *", "*-*-* 04:05:00"],
  ["0 0 1 jan *", "0 0 1 1 *", "*-01-01 00:00:00"],
  ["0 0 1 */3 *", "0 0 1 */3 *", "*-01/3-01 00:00:00"],
  ["0 0 */2 * *", "0 0 */2 * *", "*-*-01/2 00:00:00"],
  ["0 1-23/2 * * *", "0 1,3,5,7,9,11,13,15,17,19,21,23 * * *", "*-*-* 01/2:00:00"],
  ["0 2 * * MON-FRI", "0 2 * * 1-5", "Mon..Fri *-*-* 02:00:00"],
  ["0 2 1-7 * *", "0 2 1-7 * *", "*-*-01..07 02:00:00"],
  ["@daily", "0 0 * * *", "*-*-* 00:00:00"],
  ["@midnight", "0 0 * * *", "*-*-* 00:00:00"],
  ["@weekly", "0 0 * * 0", "Sun *-*-* 00:00:00"],
  ["@monthly", "0 0 1 * *", "*-*-01 00:00:00"],
  ["@yearly", "0 0 1 1 *", "*-01-01 00:00:00"],
  ["@hourly", "0 * * * *", "*-*-* *:00:00"],
  ["hourly", "0 * * * *", "*-*-* *:00:00"],
  ["daily", "0 0 * * *", "*-*-* 00:00:00"],
  ["weekly", "0 0 * * 1", "Mon *-*-* 00:00:00"],
  ["monthly", "0 0 1 * *", "*-*-01 00:00:00"],
  ["daily at 02:00", "0 2 * * *", "*-*-* 02:00:00"],
  ["daily at 2:05", "5 2 * * *", "*-*-* 02:05:00"],
  ["every 15m", "*/15 * * * *", "*-*-* *:00/15:00"],
  ["every 1 minute", "* * * * *", "*-*-* *:*:00"],
  ["every 2 hours", "0 */2 * * *", "*-*-* 00/2:00:00"],
  ["weekdays at 08:30", "30 8 * * 1-5", "Mon..Fri *-*-* 08:30:00"],
  ["weekends at 10:00", "0 10 * * 0,6", "Sun,Sat *-*-* 10:00:00"],
  ["weekly on mon,thu at 03:00", "0 3 * * 1,4", "Mon,Thu *-*-* 03:00:00"],
  ["Weekly on Monday at 03:00", "0 3 * * 1", "Mon *-*-* 03:00:00"],
  ["monthly on 1 at 04:00", "0 4 1 * *", "*-*-01 04:00:00"],
];

describe("parseSchedule", () => {
  it.each(cases)("%s -> cron %s, OnCalendar %s", (source, cron, calendar) => {
    expect(converted(source)).toEqual([cron, calendar]);
  });

  it("appends the time zone to the calendar form, not to cron", () => {
    expect(parseSchedule("daily at 02:00", "Europe/Paris")).toEqual({
      ok: true,
      schedule: { source: "daily at 02:00", cron: "0 2 * * *", calendar: "*-*-* 02:00:00 Europe/Paris", timezone: "Europe/Paris" },
    });
  });

  it("refuses bad forms with a sentence that says why", () => {
    expect(error("0 2 * * 8")).toBe('"8" is out of range for weekday (0-7)');
    expect(error("61 * * * *")).toBe('"61" is out of range for minute (0-59)');
    expect(error("0 24 * * *")).toBe('"24" is out of range for hour (0-23)');
    expect(error("0 0 0 * *")).toBe('"0" is out of range for day of month (1-31)');
    expect(error("0 0 * 13 *")).toBe('"13" is out of range for month (1-12)');
    expect(error("*/0 * * * *")).toBe('bad step "0" in minute');
    expect(error("10-5 * * * *")).toContain("out of range");
    expect(error("0 2 * *")).toBe('"0 2 * *" is neither a cron expression nor a calendar form');
    expect(error("0 2 1 * 1")).toContain("both a day of month and a weekday");
    expect(error("daily at 25:00")).toBe('"25:00" is not a time of day (HH:MM, 24-hour)');
    expect(error("every 7m")).toBe("every 7m: the interval must divide 60 evenly");
    expect(error("weekly on funday at 03:00")).toContain("is not a list of weekdays");
    expect(error("monthly on 32 at 03:00")).toBe("day 32 is not a day of the month (1-31)");
  });

  it("checks cron field counts directly", () => {
    expect(cronToCalendar("0 2 * * * *")).toEqual({ ok: false, error: "cron needs 5 fields (minute hour day month weekday), got 6" });
  });
});

describe("the canonical cron", () => {
  it("fires at the same times as the cron as written, by the scheduler the runtime uses", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    for (const [source] of cases) {
      const [cron] = converted(source);
      // Calendar forms and macros have no written cron; compare those cron forms with themselves.
      const isCron = /^\S+(\s+\S+){4}$/.test(source) && !/\b(at|on)\b/.test(source);
      const written = isCron ? source : cron;
      const next = (expression: string) => new Cron(expression, { timezone: "UTC", paused: true }).nextRuns(30, from).map((d) => d.toISOString());
      expect({ source, runs: next(cron) }).toEqual({ source, runs: next(written) });
    }
  });

  it("uses numbers only and Sunday as 0", () => {
    for (const [source] of cases) expect(converted(source)[0]).toMatch(/^[0-9*/,-]+( [0-9*/,-]+){4}$/);
    for (const [source] of cases) expect(converted(source)[0].split(" ")[4]).not.toMatch(/7/);
  });
});

describe("isTimeZone", () => {
  it("knows IANA names and refuses others", () => {
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("gives the platform formatter's answer for every canonical name, alias and near miss", () => {
    const accepts = (name: string): boolean => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: name });
        return true;
      } catch {
        return false;
      }
    };
    const names = [
      ...Intl.supportedValuesOf("timeZone"),
      "UTC",
      "utc",
      "Etc/UTC",
      "GMT",
      "US/Pacific",
      "Asia/Calcutta",
      "europe/paris",
      "",
      "Europe/",
      "+01:00",
    ];
    for (const name of names) expect([name, isTimeZone(name)]).toEqual([name, accepts(name)]);
  });
});

/** systemd's own parser (installed by .ci/run): every OnCalendar form Cairn writes must parse. */
describe("OnCalendar forms against systemd-analyze", () => {
  it("every converted schedule parses, with and without a time zone", () => {
    const calendars = cases.flatMap(([source]) => [converted(source)[1], converted(source, "Europe/Paris")[1]]);
    const output = execFileSync("systemd-analyze", ["calendar", ...calendars], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(output.match(/Normalized form:/g)?.length).toBe(calendars.length);
  });
});
