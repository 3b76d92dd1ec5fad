import { ApiError, ErrorAlert, formatBytes, formatTime, readAll, useAsync, useAuth, useI18n, type Snapshot } from '@cloudphone/shared';
import { Button, Card, Result, Table, Tag, Typography } from 'antd';

/** Device snapshots (device service /api/v1/snapshots). Deployments whose device service has no
 *  snapshot routes yet say so instead of showing an empty list. */
export function SnapshotsPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const list = useAsync(() => readAll((cursor) => api.snapshots.list({ limit: 100, cursor }), 10), [api]);
  const missing = list.error instanceof ApiError && (list.error.code === 'service_not_deployed' || list.error.status === 404);
  return (
    <Card title={t('snapshots.title')} extra={<Button onClick={list.reload}>{t('common.refresh')}</Button>} data-testid="snapshots-page">
      {missing ? <Result status="info" title={t('snapshots.unavailable')} /> : (
        <>
          <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />
          <Table<Snapshot>
            rowKey="id"
            loading={list.loading && !list.data}
            dataSource={list.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('snapshots.empty') }}
            columns={[
              { title: t('fields.name'), render: (_, s) => <Typography.Text strong>{s.name || s.id}</Typography.Text> },
              { title: t('snapshots.device'), dataIndex: 'device_id', render: (v: string) => <Typography.Text style={{ fontSize: 12 }}>{v}</Typography.Text> },
              { title: t('phones.col.status'), dataIndex: 'state', render: (v?: string) => (v ? <Tag>{v}</Tag> : '—') },
              { title: t('snapshots.size'), dataIndex: 'size_bytes', render: (v?: number) => (typeof v === 'number' ? formatBytes(v) : '—') },
              { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
