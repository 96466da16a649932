/**
 * ICU's locale data, loaded by a thread that would otherwise wait. ICU keeps what it loads for the
 * whole process: the first Intl formatter, plural rule or collation of a language costs 20 to 50 ms
 * in whichever thread asks first, and almost nothing after, in any thread. The layout worker
 * (elk-worker.ts) calls this before loading elkjs, so that the main thread formats the diagram's and
 * the guide's words (guide/i18n/words.ts) without that cost.
 */

/** Builds and uses one of each Intl service the words of `langs` use. Never throws. */
export function warmIntl(langs: readonly string[]): void {
  for (const lang of langs) {
    try {
      new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(1.5);
      new Intl.NumberFormat(lang, { style: "unit", unit: "second", unitDisplay: "short" }).format(30);
      new Intl.NumberFormat(lang, { style: "currency", currency: "USD" }).format(1);
      new Intl.PluralRules(lang).select(1);
      new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(["a", "b"]);
      new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(0);
    } catch {
      // A language ICU refuses is the main thread's to report; here it only costs this warm-up.
    }
  }
  "a".localeCompare("b");
}
