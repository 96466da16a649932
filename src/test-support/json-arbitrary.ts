/** Fuzzing input for decoders of JSON documents: any JSON value, its objects keyed mostly by the names the decoder reads. */
import fc from "fast-check";

export function jsonWithKeys(keys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.array(tie("value")),
      fc.dictionary(fc.constantFrom(...keys), tie("value")),
    ),
  })).value;
}
