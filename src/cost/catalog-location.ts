/** Where the shipped price catalog lives (from `src/cost/` and from `dist/cost/` alike). */
export const CATALOG_URL = new URL("../../catalog/aws-prices.json", import.meta.url);
