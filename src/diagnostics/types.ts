/** A problem found in a stack file, with a stable code and a position. */
export type Severity = "error" | "warning";

export type Path = readonly (string | number)[];

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint: string | null;
  readonly file: string;
  /** 1-based; 0 when the problem has no place in the file (a missing file). */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Where in the document, such as ["services", "api", "port"]. */
  readonly path: Path;
  /** Environments in which it was found (empty: in the file itself). */
  readonly environments: readonly string[];
}

/** A diagnostic before it has a position: what rules and validators produce. */
export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly path: Path;
  readonly hint?: string;
  /** Point at the key rather than the value (unknown keys, duplicates). */
  readonly onKey?: boolean;
  readonly severity?: Severity;
}
