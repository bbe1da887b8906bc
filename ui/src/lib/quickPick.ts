// Ranking for the quick picker: names starting with the query first, then names containing it,
// then descriptions containing it; ties keep alphabetical order.

export interface Pickable {
  name: string;
  description: string;
}

export function rankByQuery<T extends Pickable>(items: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  const sorted = [...items].sort((a, b) => a.name.localeCompare(b.name));
  if (!q) return sorted;
  const score = (item: T): number => {
    const name = item.name.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.includes(q)) return 1;
    if (item.description.toLowerCase().includes(q)) return 2;
    return -1;
  };
  return sorted
    .map((item) => ({ item, s: score(item) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s)
    .map((x) => x.item);
}
