/** An RFC 3339 time from the API in the reader's locale; '—' when absent. */
export function formatTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, { hour12: false });
}

export function formatNumber(n: number | null | undefined, lang: string, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
