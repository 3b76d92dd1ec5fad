// The admin dashboard: figures read from the services themselves — devices by state, users by
// status, app installs, and requests per second from the gateway's /metrics counters.
import {
  ApiError, countBy, RateSeries, readAll, totalRequests, useAsync, useAuth, useDescribeError, useI18n, useLiveEvents,
  type RatePoint,
} from '@cloudphone/shared';
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Chart } from '../components/Chart';

const DEVICE_STATES = ['creating', 'booting', 'running', 'stopping', 'stopped', 'error'] as const;
const SAMPLE_MS = 5000;

function notDeployed(e: unknown) {
  return e instanceof ApiError && e.code === 'service_not_deployed';
}

export function DashboardPage() {
  const { t } = useI18n();
  const { api, can } = useAuth();
  const describe = useDescribeError();
  const devices = useAsync(() => readAll((cursor) => api.devices.list({ limit: 100, cursor })), [api]);
  const users = useAsync(() => (can('user:read') ? readAll((cursor) => api.users.list({ limit: 100, cursor })) : Promise.resolve([])), [api, can]);
  const installs = useAsync(async () => {
    const apps = await readAll((cursor) => api.apps.list({ limit: 100, cursor }), 5);
    const records = await Promise.all(apps.map((a) => api.apps.installs(a.id).then((r) => r.items)));
    return { apps: apps.length, ...countBy(records.flat().filter((r) => r.action === 'install'), (r) => r.status) };
  }, [api]);
  // Device changes re-read the counts.
  useLiveEvents(api, (e) => {
    if (e.type.startsWith('device.') || e.type === 'reconnected') devices.reload();
    if (e.type.startsWith('app.')) installs.reload();
  });

  const series = useRef(new RateSeries(60));
  const [rate, setRate] = useState<RatePoint[]>([]);
  const [metricsError, setMetricsError] = useState<unknown>(null);
  useEffect(() => {
    let stop = false;
    const sample = async () => {
      try {
        const text = await api.system.metrics();
        if (stop) return;
        series.current.add(Date.now(), totalRequests(text));
        setRate(series.current.points);
        setMetricsError(null);
      } catch (e) {
        if (!stop) setMetricsError(e);
      }
    };
    void sample();
    const id = window.setInterval(sample, SAMPLE_MS);
    return () => { stop = true; window.clearInterval(id); };
  }, [api]);

  const byState = useMemo(() => countBy(devices.data ?? [], (d) => d.state), [devices.data]);
  const byStatus = useMemo(() => countBy(users.data ?? [], (u) => u.status), [users.data]);
  const lastRate = rate.length ? rate[rate.length - 1].perSecond : null;

  const stateChart = useMemo(() => ({
    tooltip: {},
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: DEVICE_STATES.map((s) => t(`phones.state.${s}`)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: DEVICE_STATES.map((s) => byState[s] ?? 0), itemStyle: { color: '#1677ff' } }],
  }), [byState, t]);
  const rateChart = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: rate.map((p) => new Date(p.at).toLocaleTimeString(undefined, { hour12: false })) },
    yAxis: { type: 'value', name: t('dashboard.perSecond') },
    series: [{ type: 'line', smooth: true, showSymbol: rate.length < 3, areaStyle: { opacity: 0.15 }, data: rate.map((p) => Number(p.perSecond.toFixed(2))) }],
  }), [rate, t]);
  const userChart = useMemo(() => ({
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['40%', '70%'],
      data: Object.entries(byStatus).map(([k, v]) => ({ name: t(`status.${k}`), value: v })),
    }],
  }), [byStatus, t]);

  const inst = installs.data as (Record<string, number> & { apps: number }) | undefined;
  return (
    <div data-testid="dashboard-page">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.devices')} value={devices.data?.length ?? '—'} loading={devices.loading && !devices.data} data-testid="dash-devices" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.running')} value={devices.data ? (byState.running ?? 0) : '—'} data-testid="dash-running" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.users')} value={users.data?.length ?? '—'} loading={users.loading && !users.data} data-testid="dash-users" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.requestRate')} value={lastRate === null ? '—' : lastRate.toFixed(2)} suffix={lastRate === null ? undefined : t('dashboard.perSecond')} data-testid="dash-rate" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.apps')} value={inst ? inst.apps : notDeployed(installs.error) ? t('dashboard.notDeployed') : '—'} data-testid="dash-apps" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.installs')} value={inst ? (inst.installed ?? 0) : notDeployed(installs.error) ? t('dashboard.notDeployed') : '—'} data-testid="dash-installs" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.installsFailed')} value={inst ? (inst.failed ?? 0) : '—'} data-testid="dash-installs-failed" /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card><Statistic title={t('dashboard.errorDevices')} value={devices.data ? (byState.error ?? 0) : '—'} data-testid="dash-error-devices" /></Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.devicesByState')}>
            {devices.error ? <Alert type={notDeployed(devices.error) ? 'info' : 'error'} message={describe(devices.error)} /> : <Chart option={stateChart} testId="chart-devices" />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.usersByStatus')}>
            {users.error ? <Alert type="error" message={describe(users.error)} /> : <Chart option={userChart} testId="chart-users" />}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('dashboard.requestsOverTime')} extra={<Typography.Text type="secondary">{t('dashboard.rateNote', { s: SAMPLE_MS / 1000 })}</Typography.Text>}>
            {metricsError ? <Alert type="error" message={describe(metricsError)} /> : <Chart option={rateChart} testId="chart-rate" />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
