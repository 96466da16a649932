/**
 * A string that holds only its own characters. V8 makes a cut of a longer string (`slice`, `split`,
 * a regex match) a view that keeps the whole original alive: a 100-character log line cut from a
 * 64 kB pipe chunk holds the 64 kB, and a span attribute cut to 256 characters holds the megabyte
 * it came from. A store that promises a bound per entry keeps `detach(text)` instead. Pure.
 */

/**
 * A copy of `text` that references no larger string. Appending a character makes a rope, and cutting
 * the rope flattens it into a new string of `text.length + 1` characters: a copy, four times cheaper
 * than a round trip through a Buffer, and lossless (lone surrogates included).
 */
export function detach(text: string): string {
  return `${text}\u0000`.slice(0, -1);
}
