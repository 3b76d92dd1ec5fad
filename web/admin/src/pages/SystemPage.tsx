import {
  ErrorAlert, formatNumber, type HealthComponent, type SystemHealth, parsePrometheus, requestRate, summarizeMetrics, useAuth, useI18n, type MetricsSummary, type RouteFigures,
} from '@cloudphone/shared';
import { Badge, Button, Card, Col, Descriptions, Row, Space, Statistic, Switch, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ConfigView } from '../components/ConfigView';

interface Reading { summary: MetricsSummary; at: number; rate: number | null }

export function SystemPage() {
  const { t, lang } = useI18n();
  const { api, can } = useAuth();
  const [ready, setReady] = useState<{ ok: boolean; body: unknown; error?: unknown } | null>(null);
  const [components, setComponents] = useState<{ data?: SystemHealth; error?: unknown } | null>(null);
  const [reading, setReading] = useState<Reading | null>(null);
  const [metricsError, setMetricsError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [auto, setAuto] = useState(false);
  const prev = useRef<{ total: number; at: number } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    const [r, m, h] = await Promise.allSettled([api.system.ready(), api.system.metrics(), api.system.health()]);
    setComponents(h.status === 'fulfilled' ? { data: h.value } : { error: h.reason });
    if (r.status === 'fulfilled') setReady({ ok: true, body: r.value });
    else setReady({ ok: false, body: null, error: r.reason });
    if (m.status === 'fulfilled') {
      const summary = summarizeMetrics(parsePrometheus(m.value));
      const now = { total: summary.totalRequests, at: Date.now() };
      setReading({ summary, at: now.at, rate: requestRate(prev.current, now) });
      prev.current = now;
      setMetricsError(null);
    } else {
      setMetricsError(m.reason);
    }
    setLoading(false);
  }, [api]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (!auto) return;
    const id = window.setInterval(() => void load(), 5000);
    return () => window.clearInterval(id);
  }, [auto, load]);

  const s = reading?.summary;
  const health = (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="system-page">
      <Card
        title={t('system.health')}
        extra={
          <Space>
            <Typography.Text type="secondary">{t('system.autoRefresh')}</Typography.Text>
            <Switch size="small" checked={auto} onChange={setAuto} />
            <Button loading={loading} onClick={() => void load()}>{t('common.refresh')}</Button>
          </Space>
        }
      >
        {ready === null ? t('common.loading') : (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('system.gatewayReady')}>
              <Space direction="vertical">
                <Badge status={ready.ok ? 'success' : 'error'} text={<span data-testid="ready-state">{ready.ok ? t('system.ready') : t('system.notReady')}</span>} />
                {ready.error ? <ErrorAlert error={ready.error} /> : null}
                <Typography.Text code>{JSON.stringify(ready.body ?? (ready.error as { problem?: unknown })?.problem ?? null)}</Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('system.components')}>
              {components?.error ? <ErrorAlert error={components.error} /> : (
                <Table<HealthComponent>
                  rowKey="name"
                  size="small"
                  pagination={false}
                  data-testid="health-components"
                  dataSource={components?.data?.components ?? []}
                  columns={[
                    { title: t('system.component'), dataIndex: 'name', render: (v: string, c) => <span data-testid={`health-${v}`} data-ready={String(c.ready)}>{v}</span> },
                    { title: t('system.kind'), dataIndex: 'kind', render: (v: string) => t(`system.kind_${v}`) },
                    { title: t('system.location'), dataIndex: 'location', render: (v: string) => t(`system.location_${v}`) },
                    {
                      title: t('system.state'), dataIndex: 'ready',
                      render: (v: boolean | null) => (v === null ? <Badge status="default" text={t('system.notDeployed')} />
                        : <Badge status={v ? 'success' : 'error'} text={v ? t('system.ready') : t('system.notReady')} />),
                    },
                    {
                      title: t('system.instances'), dataIndex: 'instances',
                      render: (list: HealthComponent['instances']) => (
                        <Space direction="vertical" size={0}>
                          {list.map((i) => (
                            <Typography.Text key={i.url} type={i.ready ? undefined : 'danger'}>
                              {i.url} — {i.ready ? `${formatNumber(i.latency_ms, lang, 1)} ms` : (i.error || `HTTP ${i.status}`)}
                            </Typography.Text>
                          ))}
                        </Space>
                      ),
                    },
                  ]}
                />
              )}
            </Descriptions.Item>
            {reading && <Descriptions.Item label={t('system.readAt')}>{new Date(reading.at).toLocaleTimeString(lang, { hour12: false })}</Descriptions.Item>}
          </Descriptions>
        )}
      </Card>
      <Card title={t('system.metrics')}>
        <ErrorAlert error={metricsError} style={{ marginBottom: 16 }} />
        {s && (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}><Statistic title={t('system.totalRequests')} value={formatNumber(s.totalRequests, lang)} data-testid="metric-total" /></Col>
              <Col xs={12} md={6}><Statistic title={t('system.requestRate')} value={reading?.rate === null || reading?.rate === undefined ? t('system.rateNeedsTwo') : formatNumber(reading.rate, lang, 2)} /></Col>
              <Col xs={12} md={6}><Statistic title={t('system.errors5xx')} value={formatNumber(s.byStatusClass['5xx'] ?? 0, lang)} /></Col>
              <Col xs={12} md={6}><Statistic title={t('system.rateLimited')} value={s.rateLimited === null ? '—' : formatNumber(s.rateLimited, lang)} /></Col>
            </Row>
            <Space style={{ margin: '16px 0' }} wrap>
              {Object.entries(s.byStatusClass).sort().map(([k, v]) => (
                <Typography.Text key={k} type="secondary">{k}: {formatNumber(v, lang)}</Typography.Text>
              ))}
            </Space>
            <Table<RouteFigures>
              rowKey={(r) => `${r.service} ${r.method} ${r.route}`}
              size="small"
              dataSource={s.routes}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: t('system.noRequests') }}
              columns={[
                { title: t('system.service'), dataIndex: 'service' },
                { title: t('system.method'), dataIndex: 'method' },
                { title: t('system.route'), dataIndex: 'route', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                { title: t('system.requests'), dataIndex: 'requests', align: 'right', render: (v: number) => formatNumber(v, lang) },
                { title: '4xx', dataIndex: 'clientErrors', align: 'right', render: (v: number) => formatNumber(v, lang) },
                { title: '5xx', dataIndex: 'errors', align: 'right', render: (v: number) => formatNumber(v, lang) },
                { title: t('system.avgLatency'), dataIndex: 'avgSeconds', align: 'right', render: (v: number | null) => (v === null ? '—' : `${formatNumber(v * 1000, lang, 2)} ms`) },
              ]}
            />
          </>
        )}
      </Card>
    </Space>
  );
  if (!can('system:config')) return health;
  // The configuration is a tab of its own: opened on demand, so the health figures stay first.
  return (
    <Tabs
      items={[
        { key: 'health', label: <span data-testid="tab-health">{t('system.tabHealth')}</span>, children: health },
        { key: 'config', label: <span data-testid="tab-config">{t('system.config')}</span>, children: <ConfigView /> },
      ]}
    />
  );
}
