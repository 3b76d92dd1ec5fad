import {
  ApiError, batchPlan, canDo, ErrorAlert, formatTime, isTransitional, STATE_COLORS, useAsync, useAuth, useDescribeError, useI18n, useLiveDevices,
  type CreateDeviceRequest, type Device, type DeviceAction,
} from '@cloudphone/shared';
import { App, Badge, Button, Card, Drawer, Empty, Form, Image, Input, InputNumber, Modal, Popconfirm, Result, Select, Skeleton, Space, Table, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';

const RESOLUTIONS = ['720x1280', '1080x1920', '1080x2400'];

export function PhonesPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const devices = useAsync(() => api.devices.list({ limit: 100 }), [api]);
  const [selected, setSelected] = useState<string[]>([]);
  const [createOpen, setCreateOpen] = useState(false);
  const [viewing, setViewing] = useState<Device | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const navigate = useNavigate();
  // State changes arrive over the gateway's live events (WS /api/v1/events/ws).
  const { items, status: live } = useLiveDevices(api, devices.data?.items, devices.reload);
  // Only while that connection is down: phones in a passing state (creating, booting, stopping)
  // change by themselves, so read the list again until they settle.
  const settling = items.some((d) => isTransitional(d.state));
  useEffect(() => {
    if (!settling || live === 'open') return;
    const id = window.setTimeout(devices.reload, 1500);
    return () => window.clearTimeout(id);
  }, [settling, live, devices.data, devices.reload]);
  useEffect(() => {
    setSelected((s) => s.filter((id) => items.some((d) => d.id === id)));
  }, [devices.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const run = async (action: DeviceAction, list: Device[]) => {
    const { apply, skip } = batchPlan(action, list);
    if (skip.length) message.warning(t('phones.skipped', { n: skip.length, action: t(`phones.action.${action}`) }));
    if (!apply.length) return;
    setBusy(action);
    const results = await Promise.allSettled(apply.map((d) => (action === 'remove' ? api.devices.remove(d.id) : api.devices[action](d.id))));
    setBusy(null);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) message.error(`${t('phones.actionFailed', { n: failed.length })}: ${describe(failed[0].reason)}`);
    else message.success(t('phones.actionDone', { action: t(`phones.action.${action}`), n: apply.length }));
    devices.reload();
  };

  let body: React.ReactNode;
  if (devices.loading && !devices.data && !devices.error) {
    body = <Skeleton active />;
  } else if (devices.error instanceof ApiError && devices.error.code === 'service_not_deployed') {
    body = (
      <div data-testid="phones-not-deployed">
        <Result status="info" title={t('phones.notDeployedTitle')} subTitle={t('phones.notDeployedBody')}
          extra={<Button onClick={devices.reload}>{t('common.retry')}</Button>} />
      </div>
    );
  } else if (devices.error && !devices.data) {
    body = (
      <>
        <ErrorAlert error={devices.error} />
        <Button style={{ marginTop: 16 }} onClick={devices.reload}>{t('common.retry')}</Button>
      </>
    );
  } else if (!items.length) {
    body = (
      <div data-testid="phones-empty">
        <Empty description={t('phones.empty')}>
          <Button type="primary" onClick={() => setCreateOpen(true)}>{t('phones.create')}</Button>
        </Empty>
      </div>
    );
  } else {
    const chosen = items.filter((d) => selected.includes(d.id));
    body = (
      <>
        {devices.error ? <ErrorAlert error={devices.error} style={{ marginBottom: 16 }} /> : null}
        <Space style={{ marginBottom: 16 }} wrap>
          <Typography.Text type="secondary">{t('phones.selected', { n: chosen.length })}</Typography.Text>
          {(['start', 'stop', 'restart'] as const).map((a) => (
            <Button key={a} size="small" disabled={!chosen.length} loading={busy === a} onClick={() => run(a, chosen)}>{t(`phones.action.${a}`)}</Button>
          ))}
          <Popconfirm title={t('phones.deleteManyConfirm', { n: chosen.length })} disabled={!chosen.length} onConfirm={() => run('remove', chosen)} okText={t('phones.action.remove')} cancelText={t('common.cancel')}>
            <Button size="small" danger disabled={!chosen.length} loading={busy === 'remove'}>{t('phones.action.remove')}</Button>
          </Popconfirm>
        </Space>
        <Table<Device>
          rowKey="id"
          data-testid="phones-table"
          dataSource={items}
          pagination={false}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          columns={[
            { title: t('phones.col.name'), dataIndex: 'name', render: (v: string, d) => <Space direction="vertical" size={0}><Typography.Text strong>{v}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: d.id }}>{d.id.slice(0, 12)}…</Typography.Text></Space> },
            {
              title: t('phones.col.status'), dataIndex: 'state',
              render: (s: Device['state'], d) => (
                <Tooltip title={d.state_reason || undefined}>
                  <Badge style={{ whiteSpace: 'nowrap' }} status={STATE_COLORS[s] as 'success'} text={<span data-testid={`phone-state-${d.name}`}>{t(`phones.state.${s}`)}</span>} />
                </Tooltip>
              ),
            },
            { title: t('phones.col.android'), render: (_, d) => `Android ${d.spec.android_version}` },
            { title: t('phones.col.screen'), render: (_, d) => `${d.spec.width}×${d.spec.height} @${d.spec.dpi}dpi` },
            { title: t('phones.col.resources'), render: (_, d) => t('phones.resources', { cpu: d.spec.cpu_cores, mem: d.spec.memory_mb }) },
            { title: t('phones.col.runtime'), dataIndex: 'runtime', render: (r: string) => t(`phones.runtime.${r}`) },
            { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
            {
              title: t('common.actions'),
              render: (_, d) => (
                <Space size="small" wrap>
                  <Button size="small" type="primary" disabled={d.state !== 'running'} onClick={() => navigate(`/phones/${d.id}/console`)} data-testid={`phone-console-${d.name}`}>{t('phones.console')}</Button>
                  <Button size="small" type="link" disabled={d.state !== 'running'} onClick={() => setViewing(d)} data-testid={`phone-screen-${d.name}`}>{t('phones.screen')}</Button>
                  {(['start', 'stop', 'restart'] as const).filter((a) => canDo(a, d.state)).map((a) => (
                    <Button key={a} size="small" onClick={() => run(a, [d])}>{t(`phones.action.${a}`)}</Button>
                  ))}
                  <Popconfirm title={t('phones.deleteConfirm', { name: d.name })} onConfirm={() => run('remove', [d])} okText={t('phones.action.remove')} cancelText={t('common.cancel')}>
                    <Button size="small" danger>{t('phones.action.remove')}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </>
    );
  }

  const deployed = !(devices.error instanceof ApiError && devices.error.code === 'service_not_deployed');
  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('phones.title')}</Typography.Title>}
      extra={deployed && (
        <Space>
          <Tooltip title={t(live === 'open' ? 'live.onHint' : 'live.offHint')}>
            <Badge status={live === 'open' ? 'processing' : 'default'} text={t(live === 'open' ? 'live.on' : 'live.off')} data-testid="live-status" data-live={live} />
          </Tooltip>
          <Button onClick={devices.reload} loading={devices.loading && !!devices.data}>{t('common.refresh')}</Button>
          <Button type="primary" onClick={() => setCreateOpen(true)} data-testid="phone-create">{t('phones.create')}</Button>
        </Space>
      )}
    >
      {body}
      {createOpen && <CreatePhoneModal onClose={(created) => { setCreateOpen(false); if (created) devices.reload(); }} />}
      <Drawer open={viewing !== null} onClose={() => setViewing(null)} title={viewing?.name} width={420} destroyOnClose>
        {viewing && <ScreenPreview device={viewing} />}
      </Drawer>
    </Card>
  );
}

interface CreateForm { name: string; template?: string; count: number; android_version: string; resolution: string; cpu_cores: number; memory_mb: number }

function CreatePhoneModal({ onClose }: { onClose: (created: boolean) => void }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const [form] = Form.useForm<CreateForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Templates the user may use (their own and shared ones); none is fine.
  const templates = useAsync(() => api.templates.list({ limit: 100 }).catch(() => ({ items: [] })), [api]);
  const template = Form.useWatch('template', form);
  const submit = async (v: CreateForm) => {
    setBusy(true);
    setError(null);
    if (v.template) {
      try {
        await api.templates.createDevices(v.template, v.count || 1, v.name.trim());
        onClose(true);
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
      return;
    }
    const [width, height] = v.resolution.split('x').map(Number);
    const body: CreateDeviceRequest = {
      name: v.name.trim(),
      spec: { android_version: v.android_version as '13', width, height, cpu_cores: v.cpu_cores, memory_mb: v.memory_mb },
    };
    try {
      await api.devices.create(body);
      onClose(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('phones.create')} okText={t('common.create')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={() => onClose(false)}>
      <ErrorAlert error={error} style={{ marginBottom: 16 }} />
      <Form<CreateForm> form={form} layout="vertical" onFinish={submit} initialValues={{ android_version: '13', resolution: RESOLUTIONS[0], cpu_cores: 2, memory_mb: 2048, count: 1 }}>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, max: 64, message: t('validation.required') }]}>
          <Input autoFocus data-testid="phone-name" />
        </Form.Item>
        {!!templates.data?.items.length && (
          <Form.Item name="template" label={t('phones.template')} extra={template ? t('phones.templateHint') : undefined}>
            <Select allowClear placeholder={t('phones.noTemplate')} data-testid="phone-template"
              options={templates.data.items.map((tp) => ({ value: tp.id, label: `${tp.name} · Android ${tp.spec.android_version} · ${tp.spec.width}×${tp.spec.height}` }))} />
          </Form.Item>
        )}
        {template ? (
          <Form.Item name="count" label={t('phones.count')}><InputNumber min={1} max={20} /></Form.Item>
        ) : (
          <>
            <Form.Item name="android_version" label={t('phones.col.android')}>
              <Select options={['11', '12', '13', '14'].map((v) => ({ value: v, label: `Android ${v}` }))} />
            </Form.Item>
            <Form.Item name="resolution" label={t('phones.col.screen')}>
              <Select options={RESOLUTIONS.map((r) => ({ value: r, label: r.replace('x', '×') }))} />
            </Form.Item>
            <Space>
              <Form.Item name="cpu_cores" label={t('quota.cpu')}><InputNumber min={1} max={32} /></Form.Item>
              <Form.Item name="memory_mb" label={t('quota.memory') + ' (MB)'}><InputNumber min={512} max={65536} step={512} /></Form.Item>
            </Space>
          </>
        )}
      </Form>
    </Modal>
  );
}

function ScreenPreview({ device }: { device: Device }) {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const shot = useAsync(() => api.devices.screenshot(device.id), [api, device.id]);
  const [url, setUrl] = useState<string | null>(null);
  const [at, setAt] = useState<Date | null>(null);
  useEffect(() => {
    if (!shot.data) return;
    const u = URL.createObjectURL(shot.data);
    setUrl(u);
    setAt(new Date());
    return () => URL.revokeObjectURL(u);
  }, [shot.data]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button onClick={shot.reload} loading={shot.loading}>{t('phones.refreshScreen')}</Button>
        {at && <Typography.Text type="secondary">{at.toLocaleTimeString(lang, { hour12: false })}</Typography.Text>}
      </Space>
      <ErrorAlert error={shot.error} />
      {url ? <Image src={url} alt={device.name} data-testid="phone-screenshot" style={{ maxHeight: '70vh', border: '1px solid #8884', borderRadius: 12 }} /> : shot.loading ? <Skeleton.Image active /> : null}
      <Typography.Text type="secondary">{t('phones.screenNote')}</Typography.Text>
    </Space>
  );
}
