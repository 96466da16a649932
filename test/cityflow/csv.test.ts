/** The processor's streaming CSV reader: lines split across reads, UTF-8 split across reads, CRLF, BOM, quotes. */
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { EXAMPLE } from "./support.js";

interface Chunk {
  columns: Record<string, number>;
  lines: string[];
  separator: string;
}
interface CsvModule {
  splitLine(line: string, separator?: string): string[];
  readLines(stream: Readable): AsyncIterable<string>;
  readRowChunks(stream: Readable, options?: { chunkRows?: number }): AsyncIterable<Chunk>;
}
const csv = (await import(pathToFileURL(`${EXAMPLE}/app/lib/csv.mjs`).href)) as CsvModule;

/** A stream that hands out `bytes` in pieces of `size` bytes, cutting lines and characters anywhere. */
const pieces = (bytes: Buffer, size: number) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("cityflow CSV reading", () => {
  const text = '\uFEFFiu_ac;libelle;etat_trafic\r\n1;Quai d\'Orsay;Pré-saturé\r\n2;"Rue ""A""; côté pair";Saturé\r\n\r\n3;Bd Voltaire;Fluide';

  it("gives the same lines whatever the size of the reads, even inside a UTF-8 character; drops the BOM", async () => {
    const bytes = Buffer.from(text, "utf8");
    const whole = await collect(csv.readLines(pieces(bytes, bytes.length)));
    expect(whole).toEqual(["iu_ac;libelle;etat_trafic", "1;Quai d'Orsay;Pré-saturé", '2;"Rue ""A""; côté pair";Saturé', "", "3;Bd Voltaire;Fluide"]);
    for (const size of [1, 2, 3, 7]) expect(await collect(csv.readLines(pieces(bytes, size))), `reads of ${size} bytes`).toEqual(whole);
  });

  it("splits quoted fields holding the separator and doubled quotes", () => {
    expect(csv.splitLine('2;"Rue ""A""; côté pair";Saturé')).toEqual(["2", 'Rue "A"; côté pair', "Saturé"]);
    expect(csv.splitLine("a;;c")).toEqual(["a", "", "c"]);
    expect(csv.splitLine('"x,y",z', ",")).toEqual(["x,y", "z"]);
  });

  it("yields chunks of at most chunkRows lines, header dropped (BOM removed), blank lines skipped", async () => {
    const chunks = await collect(csv.readRowChunks(pieces(Buffer.from(text, "utf8"), 5), { chunkRows: 2 }));
    expect(chunks.map((c) => c.lines.length)).toEqual([2, 1]);
    expect(chunks[0]?.columns).toEqual({ iu_ac: 0, libelle: 1, etat_trafic: 2 });
    expect(chunks.flatMap((c) => c.lines.map((l) => csv.splitLine(l)[2]))).toEqual(["Pré-saturé", "Saturé", "Fluide"]);
  });
});
