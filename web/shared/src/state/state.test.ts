import { describe, expect, it } from 'vitest';
import { decodeClaims, hasPermission } from '../auth/permissions';
import { dictionaries, format } from '../i18n';
import { currentCursor, initialPager, pagerReducer } from './cursorPager';
import { batchPlan, canDo, isTransitional } from './devices';
import { parsePrometheus, requestRate, summarizeMetrics } from './metrics';

const METRICS = `# HELP http_requests_total HTTP requests handled
# TYPE http_requests_total counter
http_requests_total{service="gateway",method="GET",route="/api/v1/users",status="200"} 7
http_requests_total{service="gateway",method="GET",route="/api/v1/users",status="403"} 2
http_requests_total{service="gateway",method="POST",route="/api/v1/auth/login",status="200"} 3
http_requests_total{service="gateway",method="POST",route="/api/v1/auth/login",status="500"} 1
http_request_duration_seconds_sum{service="gateway",method="GET",route="/api/v1/users"} 0.009
http_request_duration_seconds_count{service="gateway",method="GET",route="/api/v1/users"} 9
http_request_duration_seconds_bucket{service="gateway",method="GET",route="/api/v1/users",le="+Inf"} 9
gateway_rate_limited_total{scope="ip"} 4
process_up 1
weird{label="a \\"quoted\\" value"} 2.5e1
`;

describe('metrics', () => {
  it('parses the Prometheus text format', () => {
    const s = parsePrometheus(METRICS);
    expect(s).toHaveLength(10);
    expect(s[0]).toEqual({ name: 'http_requests_total', labels: { service: 'gateway', method: 'GET', route: '/api/v1/users', status: '200' }, value: 7 });
    expect(s.find((x) => x.name === 'http_request_duration_seconds_bucket')?.labels.le).toBe('+Inf');
    expect(s.find((x) => x.name === 'process_up')).toEqual({ name: 'process_up', labels: {}, value: 1 });
    expect(s.find((x) => x.name === 'weird')).toEqual({ name: 'weird', labels: { label: 'a "quoted" value' }, value: 25 });
  });

  it('sums requests by status class and route', () => {
    const m = summarizeMetrics(parsePrometheus(METRICS));
    expect(m.totalRequests).toBe(13);
    expect(m.byStatusClass).toEqual({ '2xx': 10, '4xx': 2, '5xx': 1 });
    expect(m.rateLimited).toBe(4);
    expect(m.routes[0]).toMatchObject({ route: '/api/v1/users', requests: 9, clientErrors: 2, errors: 0 });
    expect(m.routes[0].avgSeconds).toBeCloseTo(0.001);
    expect(m.routes[1]).toMatchObject({ route: '/api/v1/auth/login', requests: 4, errors: 1, avgSeconds: null });
  });

  it('reports no rate-limit figure when the counter is absent', () => {
    expect(summarizeMetrics(parsePrometheus('http_requests_total{status="200"} 1')).rateLimited).toBeNull();
  });

  it('computes requests per second between two readings', () => {
    expect(requestRate(null, { total: 10, at: 0 })).toBeNull();
    expect(requestRate({ total: 10, at: 0 }, { total: 30, at: 4000 })).toBe(5);
    expect(requestRate({ total: 30, at: 0 }, { total: 3, at: 1000 })).toBeNull(); // restarted
    expect(requestRate({ total: 1, at: 5 }, { total: 2, at: 5 })).toBeNull();
  });
});

describe('cursor pager', () => {
  it('walks forward and back through cursors', () => {
    let s = pagerReducer(initialPager, { type: 'loaded', next: 'c1' });
    expect(currentCursor(s)).toBeUndefined();
    s = pagerReducer(s, { type: 'next' });
    expect(s.page).toBe(1);
    expect(currentCursor(s)).toBe('c1');
    expect(pagerReducer(s, { type: 'next' })).toBe(s); // next page unknown until loaded
    s = pagerReducer(s, { type: 'loaded', next: 'c2' });
    s = pagerReducer(s, { type: 'next' });
    expect(currentCursor(s)).toBe('c2');
    s = pagerReducer(s, { type: 'loaded', next: undefined });
    expect(s.next).toBeUndefined();
    s = pagerReducer(s, { type: 'prev' });
    expect(currentCursor(s)).toBe('c1');
    s = pagerReducer(s, { type: 'prev' });
    expect(s.page).toBe(0);
    expect(pagerReducer(s, { type: 'prev' })).toBe(s);
    expect(pagerReducer(s, { type: 'reset' })).toEqual(initialPager);
  });
});

describe('device states', () => {
  it('mirrors the server state machine', () => {
    expect(canDo('start', 'stopped')).toBe(true);
    expect(canDo('start', 'running')).toBe(false);
    expect(canDo('stop', 'booting')).toBe(true);
    expect(canDo('restart', 'stopped')).toBe(false);
    expect(canDo('remove', 'creating')).toBe(true);
    expect(canDo('remove', 'deleted')).toBe(false);
    expect(isTransitional('booting')).toBe(true);
    expect(isTransitional('running')).toBe(false);
  });

  it('splits a batch into devices it applies to and those it skips', () => {
    const plan = batchPlan('stop', [{ id: 'a', state: 'running' }, { id: 'b', state: 'stopped' }, { id: 'c', state: 'error' }]);
    expect(plan.apply.map((d) => d.id)).toEqual(['a', 'c']);
    expect(plan.skip.map((d) => d.id)).toEqual(['b']);
  });
});

describe('permissions', () => {
  const jwt = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.s`;
  it('decodes claims and matches wildcards', () => {
    const c = decodeClaims(jwt({ sub: 'usr_1', perms: ['user:*', 'audit:read'] }));
    expect(c?.sub).toBe('usr_1');
    expect(hasPermission(c?.perms, 'user:update')).toBe(true);
    expect(hasPermission(c?.perms, 'audit:read')).toBe(true);
    expect(hasPermission(c?.perms, 'role:read')).toBe(false);
    expect(hasPermission(['*'], 'anything:at_all')).toBe(true);
    expect(hasPermission(undefined, 'user:read')).toBe(false);
    expect(decodeClaims('not-a-jwt')).toBeNull();
  });
});

describe('i18n', () => {
  it('has the same keys in both languages', () => {
    expect(Object.keys(dictionaries['zh-CN']).sort()).toEqual(Object.keys(dictionaries['en-US']).sort());
  });
  it('fills placeholders', () => {
    expect(format('Page {page} of {n}', { page: 2 })).toBe('Page 2 of {n}');
  });
});
