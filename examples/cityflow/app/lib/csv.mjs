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
 * Yields arrays of at most `chunkRows` rows, each row an object keyed by the header's column names.
 * The first line is the header (a UTF-8 byte-order mark is dropped); blank lines are skipped.
 */
export async function* readRowChunks(stream, { chunkRows = 50_000, separator = ";" } = {}) {
  let header = null;
  let chunk = [];
  for await (const line of readLines(stream)) {
    if (header === null) {
      header = splitLine(line.replace(/^\uFEFF/, ""), separator).map((h) => h.trim());
      continue;
    }
    if (line.trim() === "") continue;
    const fields = splitLine(line, separator);
    const row = {};
    for (let i = 0; i < header.length; i++) row[header[i]] = fields[i] ?? "";
    chunk.push(row);
    if (chunk.length >= chunkRows) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
