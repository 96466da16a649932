/**
 * A five-field cron schedule in words, in the guide's language: the common shapes (every N minutes,
 * hourly, daily, on some weekdays, monthly) read as sentences; anything else points to the cron text.
 */
import type { Words } from "./words.js";

const num = /^\d+$/;

function time(w: Words, hour: string, minute: string): string {
  const d = new Date(Date.UTC(2023, 0, 1, Number(hour), Number(minute)));
  return new Intl.DateTimeFormat(w.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }).format(d);
}

function weekday(w: Words, day: number): string {
  // 2023-01-01 was a Sunday: day 0 (and 7) of cron.
  return new Intl.DateTimeFormat(w.lang, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2023, 0, 1 + (day % 7))));
}

/** The schedule `cron` (minute hour day month weekday) in words. */
export function cronInWords(cron: string, w: Words): string {
  const [minute = "", hour = "", day = "", month = "", dow = ""] = cron.trim().split(/\s+/);
  const every = /^\*\/(\d+)$/;
  if (month !== "*") return w.t("when.cron");
  if (minute === "*" && hour === "*" && day === "*" && dow === "*") return w.t("when.everyMinute");
  const m = every.exec(minute);
  if (m && hour === "*" && day === "*" && dow === "*") return w.t("when.everyMinutes", { count: Number(m[1]) });
  const h = every.exec(hour);
  if (num.test(minute) && h && day === "*" && dow === "*") return w.t("when.everyHours", { count: Number(h[1]), minute: minute.padStart(2, "0") });
  if (num.test(minute) && hour === "*" && day === "*" && dow === "*") return w.t("when.hourly", { minute: minute.padStart(2, "0") });
  if (!num.test(minute) || !num.test(hour)) return w.t("when.cron");
  const at = time(w, hour, minute);
  if (day === "*" && dow === "*") return w.t("when.daily", { time: at });
  if (day === "*" && /^[0-7](,[0-7])*$/.test(dow)) return w.t("when.weekly", { days: w.list(dow.split(",").map((d) => weekday(w, Number(d)))), time: at });
  if (num.test(day) && dow === "*") return w.t("when.monthly", { day, time: at });
  return w.t("when.cron");
}
