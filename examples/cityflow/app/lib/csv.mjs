/**
 * Streaming CSV reading: lines come off a byte stream one at a time and are handed on in chunks of
 * `chunkRows` parsed rows, so a file of any size is read with a bounded amount of memory.
 * Paris open-data exports use `;` as separator and double quotes around fields that need them.
 */

/** Splits one CSV line into fields (quotes may wrap a field; `""` inside quotes is one quote). */
export function splitLine(line, separator = ";") {
  if (!line.includes('"')) return line.split(separator);
  const fields = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Quotes a field when it holds the separator, a quote or a line break. */
export function quoteField(value, separator = ";") {
  const text = value === null || value === undefined ? "" : String(value);
  return /[";\n\r,]/.test(text) || text.includes(separator) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Yields the lines of a stream of bytes (UTF-8), without their line ending; never holds more than one partial line. */
export async function* readLines(stream) {
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  for await (const chunk of stream) {
    rest += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    let end = rest.indexOf("\n", start);
    while (end !== -1) {
      yield rest.charCodeAt(end - 1) === 13 ? rest.slice(start, end - 1) : rest.slice(start, end);
      start = end + 1;
      end = rest.indexOf("\n", start);
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
}

/**
 * Yields chunks of at most `chunkRows` rows: `{ columns, lines, separator }`, where `columns` maps each
 * header name to its index and `lines` are the rows' raw text. A row is split only when it is used
 * (`splitLine`), so its fields die young and a chunk costs little more than its text.
 * The first line is the header (a UTF-8 byte-order mark is dropped); blank lines are skipped.
 */
export async function* readRowChunks(stream, { chunkRows = 50_000, separator = ";" } = {}) {
  let columns = null;
  let lines = [];
  for await (const line of readLines(stream)) {
    if (columns === null) {
      columns = Object.fromEntries(splitLine(line.replace(/^\uFEFF/, ""), separator).map((h, i) => [h.trim(), i]));
      continue;
    }
    if (line.trim() === "") continue;
    lines.push(line);
    if (lines.length >= chunkRows) {
      yield { columns, lines, separator };
      lines = [];
    }
  }
  if (lines.length > 0) yield { columns, lines, separator };
}
