/** YAML text for manifests: sorted keys, no line folding, documents separated by `---`. */
import { stringify } from "yaml";

/** One or more objects as a YAML stream; same objects, same bytes. */
export function toYaml(...documents: readonly unknown[]): string {
  return documents.map((d) => stringify(d, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}
