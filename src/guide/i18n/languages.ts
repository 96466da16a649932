/** The languages Cairn writes guides and diagrams in (alone here, so a verb can name them without loading the catalog). */
export const LANGUAGES = ["en", "fr"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** True when `value` names a supported language. */
export function isLang(value: string): value is Lang {
  return (LANGUAGES as readonly string[]).includes(value);
}
