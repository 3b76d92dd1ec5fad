import {
  ApiError, ErrorAlert, formatTime, readAll, useAsync, useAuth, useDescribeError, useI18n, useLiveEvents, type Device, type Snapshot,
} from '@cloudphone/shared';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

const STATE_COLOR: Record<string, string> = { ready: 'green', creating: 'blue', deleting: 'orange', error: 'red' };

/** Device snapshots (device service /api/v1/snapshots): take one of a phone, restore into a new
 *  phone or into the stopped phone it came from, delete. States change through live events
 *  (device.snapshot.*), not polling. */
export function SnapshotsPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const [tick, setTick] = useState(0);
  useLiveEvents(api, (e) => { if (e.type.startsWith('device.') || e.type === 'reconnected') setTick((n) => n + 1); });
  const list = useAsync(() => readAll((cursor) => api.snapshots.list({ limit: 100, cursor }), 10), [api, tick]);
  const devices = useAsync(() => readAll((cursor) => api.devices.list({ limit: 100, cursor }), 10), [api, tick]);
  const [taking, setTaking] = useState(false);
  const [restoring, setRestoring] = useState<Snapshot | null>(null);
  const missing = list.error instanceof ApiError && (list.error.code === 'service_not_deployed' || list.error.status === 404);
  const deviceName = (id: string) => devices.data?.find((d) => d.id === id)?.name;

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      list.reload();
    } catch (e) {
      message.error(describe(e));
    }
  };

  return (
    <Card
      title={t('snapshots.title')}
      extra={<Space>
        {!missing && <Button type="primary" onClick={() => setTaking(true)} data-testid="snapshot-take">{t('snapshots.take')}</Button>}
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
      </Space>}
      data-testid="snapshots-page"
    >
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
              {
                title: t('snapshots.device'),
                dataIndex: 'device_id',
                render: (v: string) => <Space direction="vertical" size={0}>{deviceName(v) && <span>{deviceName(v)}</span>}<Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text></Space>,
              },
              {
                title: t('phones.col.status'),
                dataIndex: 'state',
                render: (v: string | undefined, s) => (v ? <Tag color={STATE_COLOR[v]} data-testid={`snapshot-state-${s.name}`} title={String(s.state_reason ?? '')}>{t(`snapshots.state.${v}`)}</Tag> : '—'),
              },
              { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
              {
                title: t('common.actions'),
                render: (_, s) => (
                  <Space>
                    <Button size="small" disabled={s.state !== 'ready'} onClick={() => setRestoring(s)} data-testid={`snapshot-restore-${s.name}`}>{t('snapshots.restore')}</Button>
                    <Popconfirm title={t('snapshots.deleteConfirm', { name: s.name || s.id })} okText={t('phones.action.remove')} cancelText={t('common.cancel')}
                      onConfirm={() => act(() => api.snapshots.remove(s.id), t('snapshots.deleted', { name: s.name || s.id }))}>
                      <Button size="small" danger disabled={s.state === 'creating'} data-testid={`snapshot-delete-${s.name}`}>{t('phones.action.remove')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        </>
      )}
      {taking && <TakeSnapshotModal devices={devices.data ?? []} onClose={(name) => { setTaking(false); if (name) { message.success(t('snapshots.taking', { name })); list.reload(); } }} />}
      {restoring && <RestoreModal snapshot={restoring} device={devices.data?.find((d) => d.id === restoring.device_id)} onClose={(name) => { setRestoring(null); if (name) { message.success(t('snapshots.restoring', { name })); list.reload(); } }} />}
    </Card>
  );
}

function TakeSnapshotModal({ devices, onClose }: { devices: Device[]; onClose: (name?: string) => void }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const [form] = Form.useForm<{ device_id: string; name?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const eligible = devices.filter((d) => d.state === 'running' || d.state === 'stopped');
  const submit = async (v: { device_id: string; name?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const s = await api.snapshots.create(v.device_id, v.name?.trim() || undefined);
      onClose(s.name || s.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('snapshots.take')} onOk={() => form.submit()} onCancel={() => onClose()} confirmLoading={busy}
      okText={t('snapshots.take')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'snapshot-take-submit' }}>
      <ErrorAlert error={error} style={{ marginBottom: 16 }} />
      <Typography.Paragraph type="secondary">{t('snapshots.takeHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="device_id" label={t('snapshots.device')} rules={[{ required: true, message: t('snapshots.pickDevice') }]}>
          <Select data-testid="snapshot-device" showSearch optionFilterProp="label" placeholder={t('snapshots.pickDevice')}
            options={eligible.map((d) => ({ value: d.id, label: `${d.name} (${t(`phones.state.${d.state}`)})` }))} />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')} rules={[{ max: 100 }]}>
          <Input data-testid="snapshot-name" maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RestoreModal({ snapshot, device, onClose }: { snapshot: Snapshot; device?: Device; onClose: (name?: string) => void }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const [form] = Form.useForm<{ target: 'new' | 'same'; name?: string }>();
  const [target, setTarget] = useState<'new' | 'same'>('new');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { target: 'new' | 'same'; name?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const d = await api.snapshots.restore(snapshot.id, v.target === 'same' ? { device_id: snapshot.device_id } : { name: (v.name ?? '').trim() });
      onClose(d.name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('snapshots.restoreTitle', { name: snapshot.name || snapshot.id })} onOk={() => form.submit()} onCancel={() => onClose()}
      confirmLoading={busy} okText={t('snapshots.restore')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'snapshot-restore-submit' }}>
      <ErrorAlert error={error} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ target: 'new' }}>
        <Form.Item name="target" label={t('snapshots.restoreInto')}>
          <Select onChange={(v) => setTarget(v)} options={[
            { value: 'new', label: t('snapshots.intoNew') },
            { value: 'same', label: t('snapshots.intoSame', { name: device?.name ?? snapshot.device_id }), disabled: !device || (device.state !== 'stopped' && device.state !== 'error') },
          ]} />
        </Form.Item>
        {target === 'new' && (
          <Form.Item name="name" label={t('snapshots.newName')} rules={[{ required: true, whitespace: true, max: 100, message: t('snapshots.newNameRule') }]}>
            <Input data-testid="snapshot-restore-name" maxLength={100} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
