/** Rows whose key or value contains every word of the query (case-insensitive), in order given. */
export function filterConfig<T extends { key: string; value: string }>(rows: T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows;
  return rows.filter((r) => {
    const text = `${r.key} ${r.value}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
