// Prometheus text exposition → samples → the figures the admin system page shows.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    out[m[1]] = m[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return out;
}

export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let name: string;
    let labels: Record<string, string> = {};
    let rest: string;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    if (brace >= 0 && (space < 0 || brace < space)) {
      const close = line.lastIndexOf('}');
      if (close < brace) continue;
      name = line.slice(0, brace);
      labels = parseLabels(line.slice(brace + 1, close));
      rest = line.slice(close + 1).trim();
    } else {
      if (space < 0) continue;
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const valueText = rest.split(/\s+/)[0];
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') continue;
    samples.push({ name, labels, value });
  }
  return samples;
}

export interface RouteFigures {
  service: string;
  method: string;
  route: string;
  requests: number;
  errors: number; // 5xx
  clientErrors: number; // 4xx
  avgSeconds: number | null;
}

export interface MetricsSummary {
  totalRequests: number;
  byStatusClass: Record<string, number>; // "2xx" → count
  rateLimited: number | null;
  routes: RouteFigures[]; // most requested first
}

export function summarizeMetrics(samples: Sample[]): MetricsSummary {
  const byStatusClass: Record<string, number> = {};
  const routes = new Map<string, RouteFigures>();
  let total = 0;
  let rateLimited: number | null = null;
  const key = (l: Record<string, string>) => `${l.service ?? ''}\u0000${l.method ?? ''}\u0000${l.route ?? ''}`;
  const route = (l: Record<string, string>) => {
    const k = key(l);
    let r = routes.get(k);
    if (!r) {
      r = { service: l.service ?? '', method: l.method ?? '', route: l.route ?? '', requests: 0, errors: 0, clientErrors: 0, avgSeconds: null };
      routes.set(k, r);
    }
    return r;
  };
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.name === 'http_requests_total') {
      total += s.value;
      const cls = s.labels.status ? `${s.labels.status[0]}xx` : 'other';
      byStatusClass[cls] = (byStatusClass[cls] ?? 0) + s.value;
      const r = route(s.labels);
      r.requests += s.value;
      if (cls === '5xx') r.errors += s.value;
      if (cls === '4xx') r.clientErrors += s.value;
    } else if (s.name === 'http_request_duration_seconds_sum') {
      sums.set(key(s.labels), (sums.get(key(s.labels)) ?? 0) + s.value);
    } else if (s.name === 'http_request_duration_seconds_count') {
      counts.set(key(s.labels), (counts.get(key(s.labels)) ?? 0) + s.value);
    } else if (s.name === 'gateway_rate_limited_total') {
      rateLimited = (rateLimited ?? 0) + s.value;
    }
  }
  for (const [k, r] of routes) {
    const c = counts.get(k);
    const sum = sums.get(k);
    if (c && sum !== undefined) r.avgSeconds = sum / c;
  }
  return {
    totalRequests: total,
    byStatusClass,
    rateLimited,
    routes: [...routes.values()].sort((a, b) => b.requests - a.requests),
  };
}

/** Requests per second between two readings of the total counter; null when not computable. */
export function requestRate(prev: { total: number; at: number } | null, next: { total: number; at: number }): number | null {
  if (!prev) return null;
  const dt = (next.at - prev.at) / 1000;
  if (dt <= 0) return null;
  const d = next.total - prev.total;
  if (d < 0) return null; // counter reset (server restarted)
  return d / dt;
}
