/**
 * Every text `cairn cost` writes for the examples, on every hosting option, has a French rendering:
 * a sentence added to src/cost without its French pattern fails here, before a French guide shows it
 * in English.
 */
import { describe, expect, it } from "vitest";
import { estimate } from "../../cost/estimate.js";
import { EXAMPLES, exampleStacks, shippedBook } from "../test-support.js";
import { costFrench } from "./cost-fr.js";

describe("French cost texts", () => {
  it("translates every item, unit, note, assumption and reason of every example on every option", async () => {
    const book = shippedBook();
    const untranslated = new Set<string>();
    let seen = 0;
    for (const name of EXAMPLES)
      for (const stack of await exampleStacks(name))
        for (const option of ["local", "vm", "compose", "aws", "k8s"] as const) {
          const cost = estimate(stack, option, book);
          const texts: ["item" | "unit" | "sentence", string][] = [
            ...cost.lines.flatMap(
              (l) => [["item", l.item], ["unit", l.unit], ...(l.note ? [["sentence", l.note]] : [])] as ["item" | "unit" | "sentence", string][],
            ),
            ...cost.assumptions.map((a) => ["sentence", a] as ["sentence", string]),
            ...cost.notPriced.map((x) => ["sentence", x.reason] as ["sentence", string]),
          ];
          for (const [kind, text] of texts) {
            seen++;
            const fr = costFrench(kind, text);
            if (fr === null) untranslated.add(`${kind}: ${text}`);
          }
        }
    expect(seen).toBeGreaterThan(1000);
    expect([...untranslated]).toEqual([]);
  });

  it("keeps the numbers and names of a text it translates", () => {
    expect(costFrench("item", "3 addresses (2 for the ALB, 1 for the NAT)")).toBe("3 adresses (2 pour l'ALB, 1 pour le NAT)");
    expect(costFrench("sentence", "desired count 3 (min 2, max 10 under autoscaling); 36.04 USD per task-month at list price")).toBe(
      "nombre souhaité 3 (min 2, max 10 en mise à l'échelle auto) ; 36,04 USD par tâche-mois au prix public",
    );
    expect(costFrench("sentence", "the CloudWatch agent's, 3 on each of 2 instances; its PutMetricData requests are not in the catalog")).toBe(
      "celles de l'agent CloudWatch, 3 sur chacune des 2 instances ; ses requêtes PutMetricData ne sont pas dans le catalogue",
    );
    expect(costFrench("sentence", "the edge's metrics log: one 35-byte line per request, 1,000,000 requests")).toBe(
      "journal de métriques de l'entrée : une ligne de 35 octets par requête, 1\u202f000\u202f000 requêtes",
    );
    expect(costFrench("sentence", "a sentence nobody wrote")).toBeNull();
  });
});
