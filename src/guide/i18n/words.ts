/**
 * Words in one language: the message catalog looked up by key, and numbers, money, dates, durations
 * and sizes formatted by Intl for that language. Every word the guide and the diagram show goes
 * through here. Pure.
 */
import { MESSAGES, type Message, type MessageKey } from "./catalog.js";

import type { Lang } from "./languages.js";

export { isLang, LANGUAGES, type Lang } from "./languages.js";

export type Params = Readonly<Record<string, string | number>>;

/** Looks up messages and formats values for one language. */
export interface Words {
  readonly lang: Lang;
  /** The message `key` with `{name}` placeholders filled; a plural message picks its form by `params.count`. */
  t(key: MessageKey, params?: Params): string;
  /** A number with the language's separators. */
  number(n: number, maxDigits?: number): string;
  /** An amount in US dollars, two decimals. */
  usd(n: number): string;
  /** A date given as YYYY-MM-DD, written out (time zone UTC: the date is a calendar date). */
  date(iso: string): string;
  /** A duration in milliseconds, in the largest unit that divides it (30 s, 5 min, 7 days). */
  duration(ms: number): string;
  /** A size in bytes: GiB or MiB when exact powers of two, else GB or MB. */
  bytes(n: number): string;
  /** A list joined the language's way (a, b and c). */
  list(items: readonly string[]): string;
}

/** One formatter per key, made when first used: making an Intl formatter costs far more than using one. */
function memo<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}

const plurals = memo((lang) => new Intl.PluralRules(lang));

function pick(message: Message, lang: Lang, params: Params): string {
  if (typeof message === "string") return message;
  const count = Number(params.count ?? 0);
  return plurals(lang).select(count) === "one" ? message.one : message.other;
}

const UNITS = [
  { ms: 86_400_000, unit: "day" },
  { ms: 3_600_000, unit: "hour" },
  { ms: 60_000, unit: "minute" },
  { ms: 1000, unit: "second" },
] as const;

/** The words of `lang`. */
export function wordsFor(lang: Lang): Words {
  const digits = memo((n) => new Intl.NumberFormat(lang, { maximumFractionDigits: Number(n) }));
  const numberFormat = (n: number) => digits(String(n));
  const usd = memo(() => new Intl.NumberFormat(lang, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const date = memo(() => new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }));
  const list = memo(() => new Intl.ListFormat(lang, { style: "long", type: "conjunction" }));
  const durations = memo(
    (unit) =>
      new Intl.NumberFormat(lang, {
        style: "unit",
        unit,
        unitDisplay: unit === "day" ? "long" : lang === "en" ? "narrow" : "short",
        maximumFractionDigits: 2,
      }),
  );
  const words: Words = {
    lang,
    t(key, params = {}) {
      const text = pick(MESSAGES[lang][key], lang, params);
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        if (value === undefined) return whole;
        return typeof value === "number" ? numberFormat(2).format(value) : value;
      });
    },
    number: (n, maxDigits = 2) => numberFormat(maxDigits).format(n),
    usd: (n) => usd("").format(n),
    date: (iso) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? date("").format(new Date(`${iso}T00:00:00Z`)) : iso),
    duration(ms) {
      if (ms === 0) return words.t("unit.seconds", { count: 0, n: "0" });
      const unit = UNITS.find((u) => ms % u.ms === 0) ?? UNITS[3];
      return durations(unit.unit).format(ms / unit.ms);
    },
    bytes(n) {
      const binary = [
        [1024 ** 4, "unit.tib"],
        [1024 ** 3, "unit.gib"],
        [1024 ** 2, "unit.mib"],
      ] as const;
      for (const [size, key] of binary) if (n >= size && n % size === 0) return words.t(key, { n: numberFormat(2).format(n / size) });
      if (n >= 1e12) return words.t("unit.tb", { n: numberFormat(2).format(n / 1e12) });
      if (n >= 1e9) return words.t("unit.gb", { n: numberFormat(2).format(n / 1e9) });
      return words.t("unit.mb", { n: numberFormat(2).format(n / 1e6) });
    },
    list: (items) => list("").format(items),
  };
  return words;
}
