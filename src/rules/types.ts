/** What a rule sees and returns. Rules are pure functions; each has its own test. */
import type { Finding } from "../diagnostics/types.js";
import type { Names } from "../model/references.js";
import type { Stack } from "../model/types.js";
import type { StackFile } from "../schema/stack.js";

export interface FileContext {
  /** The validated file, before overrides. */
  readonly file: StackFile;
  /** The file as each environment sees it (overrides applied), with the parts it keeps. */
  readonly environments: readonly { readonly name: string; readonly file: StackFile; readonly names: Names }[];
  /** The parts the file declares, before any environment removes one (`cache: null`). */
  readonly names: Names;
}

/** A check on the validated file: errors that make resolution meaningless. */
export interface FileRule {
  readonly name: string;
  readonly check: (context: FileContext) => Finding[];
}

/** A lint on a resolved stack (one environment): warnings. */
export interface LintRule {
  readonly code: string;
  readonly check: (stack: Stack) => Finding[];
}

/** A lint over every environment at once, for what no single environment can tell: warnings. */
export interface StacksLintRule {
  readonly code: string;
  readonly check: (stacks: readonly Stack[]) => Finding[];
}
