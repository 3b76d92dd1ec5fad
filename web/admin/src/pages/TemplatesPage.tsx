import { ApiError, ErrorAlert, formatTime, readAll, useAsync, useAuth, useDescribeError, useI18n, type DeviceTemplate } from '@cloudphone/shared';
import { App, Button, Card, InputNumber, Popconfirm, Result, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

/** Device templates (device service /api/v1/templates): specs, init commands, preinstalled apps. */
export function TemplatesPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const list = useAsync(() => readAll((cursor) => api.templates.list({ limit: 100, cursor }), 10), [api]);
  const [count, setCount] = useState<Record<string, number>>({});

  if (list.error instanceof ApiError && list.error.code === 'service_not_deployed') {
    return <Card title={t('templates.title')}><Result status="info" title={t('devices.notDeployed')} /></Card>;
  }
  return (
    <Card title={t('templates.title')} extra={<Button onClick={list.reload}>{t('common.refresh')}</Button>} data-testid="templates-page">
      <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />
      <Table<DeviceTemplate>
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('templates.empty') }}
        columns={[
          { title: t('fields.name'), dataIndex: 'name', render: (v: string, r) => <Space direction="vertical" size={0}><Typography.Text strong>{v}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.id}</Typography.Text></Space> },
          { title: t('devices.owner'), dataIndex: 'owner_id', render: (v: string) => <Typography.Text style={{ fontSize: 12 }}>{v}</Typography.Text> },
          { title: t('templates.spec'), render: (_, r) => `Android ${r.spec.android_version} · ${r.spec.width}×${r.spec.height} · ${t('phones.resources', { cpu: r.spec.cpu_cores, mem: r.spec.memory_mb })}` },
          { title: t('templates.init'), render: (_, r) => (r.init_commands.length ? <Typography.Text code ellipsis style={{ maxWidth: 220 }}>{r.init_commands.join(' ; ')}</Typography.Text> : '—') },
          { title: t('templates.apps'), render: (_, r) => (r.apps.length ? r.apps.map((a) => <Tag key={a}>{a}</Tag>) : '—') },
          { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                <InputNumber size="small" min={1} max={50} value={count[r.id] ?? 1} onChange={(v) => setCount((c) => ({ ...c, [r.id]: Number(v) || 1 }))} style={{ width: 64 }} />
                <Button size="small" onClick={async () => {
                  try { await api.templates.createDevices(r.id, count[r.id] ?? 1); message.success(t('templates.created', { n: count[r.id] ?? 1 })); } catch (e) { message.error(describe(e)); }
                }}>{t('templates.createDevices')}</Button>
                <Popconfirm title={t('templates.deleteConfirm', { name: r.name })} okText={t('phones.action.remove')} cancelText={t('common.cancel')}
                  onConfirm={async () => { try { await api.templates.remove(r.id); list.reload(); } catch (e) { message.error(describe(e)); } }}>
                  <Button size="small" danger>{t('phones.action.remove')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
