import { describe, expect, it } from 'vitest';
import { countBy, RateSeries, readAll, totalRequests } from './dashboard';

describe('dashboard figures', () => {
  it('counts by a key', () => {
    expect(countBy([{ s: 'running' }, { s: 'stopped' }, { s: 'running' }], (d) => d.s)).toEqual({ running: 2, stopped: 1 });
    expect(countBy([], () => 'x')).toEqual({});
  });

  it('reads every page of a cursor list', async () => {
    const pages: Record<string, { items: number[]; next_cursor?: string | null }> = {
      '': { items: [1, 2], next_cursor: 'b' }, b: { items: [3], next_cursor: 'c' }, c: { items: [4], next_cursor: null },
    };
    const seen: (string | undefined)[] = [];
    expect(await readAll(async (c) => { seen.push(c); return pages[c ?? '']; })).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([undefined, 'b', 'c']);
    expect(await readAll(async () => ({ items: [1], next_cursor: 'again' }), 3)).toEqual([1, 1, 1]);
  });

  it('sums http_requests_total over its series', () => {
    const text = [
      '# TYPE http_requests_total counter',
      'http_requests_total{service="gateway",method="GET",route="/health",status="200"} 5',
      'http_requests_total{service="gateway",method="POST",route="/api/v1/users",status="201"} 7',
      'http_request_duration_seconds_sum{service="gateway"} 3',
    ].join('\n');
    expect(totalRequests(text)).toBe(12);
  });

  it('turns counter readings into requests per second, restarting after a reset', () => {
    const r = new RateSeries(3);
    expect(r.add(0, 100)).toBeNull();
    expect(r.add(2000, 120)).toEqual({ at: 2000, perSecond: 10 });
    expect(r.add(4000, 5)).toBeNull(); // the counter went down: a restart
    expect(r.add(5000, 10)?.perSecond).toBe(5);
    r.add(6000, 10);
    r.add(7000, 12);
    expect(r.points.map((p) => p.perSecond)).toEqual([5, 0, 2]);
  });
});
