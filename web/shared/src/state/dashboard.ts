// The admin dashboard's figures: counts by state from listed resources, and requests per second
// from successive readings of the http_requests_total counters in /metrics.
import { parsePrometheus } from './metrics';

/** Occurrences of each value of `key`, in first-seen order. */
export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) {
    const k = key(it);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** All items of a cursor-paged list (at most `maxPages` pages). */
export async function readAll<T>(page: (cursor?: string) => Promise<{ items: T[]; next_cursor?: string | null }>, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    if (!p.next_cursor) break;
    cursor = p.next_cursor;
  }
  return out;
}

/** Sum of the gateway's http_requests_total series in a /metrics text. */
export function totalRequests(metricsText: string): number {
  return parsePrometheus(metricsText).filter((s) => s.name === 'http_requests_total').reduce((sum, s) => sum + s.value, 0);
}

export interface RatePoint { at: number; perSecond: number }

/** Requests per second between readings; a counter that went down (restart) starts afresh. */
export class RateSeries {
  private last: { at: number; total: number } | null = null;
  points: RatePoint[] = [];

  constructor(private readonly maxPoints = 60) {}

  add(at: number, total: number): RatePoint | null {
    const prev = this.last;
    this.last = { at, total };
    if (!prev || at <= prev.at || total < prev.total) return null;
    const p = { at, perSecond: (total - prev.total) / ((at - prev.at) / 1000) };
    this.points = [...this.points, p].slice(-this.maxPoints);
    return p;
  }
}
