import { ApiError, ErrorAlert, formatNumber, useAsync, useAuth, useI18n } from '@cloudphone/shared';
import { Alert, Descriptions, Skeleton, Space, Tag, Typography } from 'antd';

export function QuotaTab() {
  const { t, lang } = useI18n();
  const { api, user } = useAuth();
  const quota = useAsync(() => api.quotas.get(user!.id), [api, user?.id]);
  // Usage comes from the device service; until it is deployed the API says so.
  const devices = useAsync(() => api.devices.list(), [api]);

  if (quota.loading && !quota.data) return <Skeleton active />;
  if (quota.error) return <ErrorAlert error={quota.error} />;
  const q = quota.data!;
  // Every phone that is not deleted counts against the quota (as the device service counts it).
  const counted = devices.data?.items.filter((d) => d.state !== 'deleted') ?? [];
  const more = devices.data?.next_cursor ? '+' : '';
  const deviceCount = devices.data ? `${counted.length}${more}` : null;
  const cpuUsed = devices.data ? `${formatNumber(counted.reduce((n, d) => n + d.spec.cpu_cores, 0), lang)}${more}` : null;
  const memUsed = devices.data ? `${formatNumber(counted.reduce((n, d) => n + d.spec.memory_mb, 0), lang)}${more}` : null;
  const notDeployed = devices.error instanceof ApiError && devices.error.code === 'service_not_deployed';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="quota-tab">
      <Descriptions bordered size="small" column={1} title={q.is_default ? <Space>{t('quota.limits')}<Tag>{t('quota.default')}</Tag></Space> : t('quota.limits')}>
        <Descriptions.Item label={t('quota.devices')}>
          {deviceCount !== null ? t('quota.used', { used: deviceCount, max: formatNumber(q.max_devices, lang) }) : formatNumber(q.max_devices, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('quota.cpu')}>
          {cpuUsed !== null ? t('quota.used', { used: cpuUsed, max: formatNumber(q.max_cpu_cores, lang) }) : formatNumber(q.max_cpu_cores, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('quota.memory')}>
          {memUsed !== null ? t('quota.used', { used: `${memUsed} MB`, max: `${formatNumber(q.max_memory_mb, lang)} MB` }) : `${formatNumber(q.max_memory_mb, lang)} MB`}
        </Descriptions.Item>
        <Descriptions.Item label={t('quota.hours')}>
          <Space>{formatNumber(q.max_device_hours, lang)}<Typography.Text type="secondary">{t('quota.hoursNoUsage')}</Typography.Text></Space>
        </Descriptions.Item>
      </Descriptions>
      {devices.loading ? null : notDeployed ? (
        <Alert type="info" showIcon message={t('quota.usageUnavailable')} data-testid="quota-usage-unavailable" />
      ) : devices.error ? (
        <ErrorAlert error={devices.error} />
      ) : null}
    </Space>
  );
}
