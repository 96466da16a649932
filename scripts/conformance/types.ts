/** One suite's figures: passes, total, and each failing test with the first line of its reason. */
export interface SuiteResult {
  readonly suite: string;
  readonly passed: number;
  readonly total: number;
  readonly failing: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}
