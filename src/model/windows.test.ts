import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSchedule } from "./schedule.js";
import { dailyWindow, parseMaintenance, WEEKDAYS, weeklyWindow, windowsOverlap } from "./windows.js";

const schedule = (text: string) => {
  const parsed = parseSchedule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.schedule;
};

describe("backup and maintenance windows", () => {
  it("a daily schedule is a window from its time; any other schedule is none", () => {
    expect(dailyWindow(schedule("daily at 03:00"), 60)).toBe("03:00-04:00");
    expect(dailyWindow(schedule("30 23 * * *"), 60)).toBe("23:30-00:30");
    expect(dailyWindow(schedule("every 6h"), 60)).toBeNull();
    expect(dailyWindow(schedule("0 3 * * 1"), 60)).toBeNull();
    // Only a UTC time is a window AWS reads.
    expect(dailyWindow({ ...schedule("daily at 03:00"), timezone: "Europe/Paris" }, 60)).toBeNull();
  });

  it("reads a weekday and a UTC time, with an optional end", () => {
    expect(parseMaintenance("sun 04:00")).toEqual({ day: "sun", startMinute: 240, endMinute: null });
    expect(parseMaintenance("Sat 23:30-00:30")).toEqual({ day: "sat", startMinute: 1410, endMinute: 1470 });
    for (const bad of ["sunday 04:00", "sun 4:00", "sun 24:00", "sun 04:60", "sun 04:00-", ""]) expect(parseMaintenance(bad)).toBeNull();
  });

  it("a weekly window is at least the service's shortest and wraps the week", () => {
    expect(weeklyWindow({ day: "sun", startMinute: 240, endMinute: 300 }, 30)).toBe("sun:04:00-sun:05:00");
    expect(weeklyWindow({ day: "sat", startMinute: 1410, endMinute: null }, 60)).toBe("sat:23:30-sun:00:30");
    fc.assert(
      fc.property(
        fc.constantFrom(...WEEKDAYS),
        fc.integer({ min: 0, max: 1439 }),
        fc.option(fc.integer({ min: 1, max: 600 })),
        fc.constantFrom(30, 60),
        (day, start, length, minimum) => {
          const text = weeklyWindow({ day, startMinute: start, endMinute: length === null ? null : start + length }, minimum);
          const [a, b] = text
            .split("-")
            .map((part) => WEEKDAYS.indexOf(part.slice(0, 3) as (typeof WEEKDAYS)[number]) * 1440 + Number(part.slice(4, 6)) * 60 + Number(part.slice(7, 9)));
          const span = ((b as number) - (a as number) + 7 * 1440) % (7 * 1440);
          expect(span).toBe(Math.max(minimum, length ?? 0));
          expect(text).toMatch(/^(sun|mon|tue|wed|thu|fri|sat):\d\d:\d\d-(sun|mon|tue|wed|thu|fri|sat):\d\d:\d\d$/);
        },
      ),
    );
  });

  it("finds the overlap of a daily and a weekly window, across midnight and the week's end", () => {
    expect(windowsOverlap("03:00-04:00", "sun:04:00-sun:05:00")).toBe(false);
    expect(windowsOverlap("03:00-04:00", "sun:03:30-sun:04:00")).toBe(true);
    expect(windowsOverlap("23:30-00:30", "mon:00:00-mon:00:30")).toBe(true);
    expect(windowsOverlap("23:30-00:30", "sat:23:45-sun:00:15")).toBe(true);
    expect(windowsOverlap("12:00-13:00", "sat:23:45-sun:00:15")).toBe(false);
  });
});
