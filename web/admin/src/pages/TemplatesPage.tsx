import { ApiError, ErrorAlert, formatTime, readAll, useAsync, useAuth, useDescribeError, useI18n, type DeviceSpecInput, type DeviceTemplate } from '@cloudphone/shared';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

/** Device templates (device service /api/v1/templates): specs, init commands, preinstalled apps. */
export function TemplatesPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const list = useAsync(() => readAll((cursor) => api.templates.list({ limit: 100, cursor }), 10), [api]);
  const [count, setCount] = useState<Record<string, number>>({});
  const [creating, setCreating] = useState(false);

  if (list.error instanceof ApiError && list.error.code === 'service_not_deployed') {
    return <Card title={t('templates.title')}><Result status="info" title={t('devices.notDeployed')} /></Card>;
  }
  return (
    <Card
      title={t('templates.title')}
      extra={<Space><Button type="primary" onClick={() => setCreating(true)} data-testid="template-create">{t('templates.create')}</Button><Button onClick={list.reload}>{t('common.refresh')}</Button></Space>}
      data-testid="templates-page"
    >
      {creating && <CreateTemplateModal onClose={(made) => { setCreating(false); if (made) { message.success(t('templates.createdTemplate', { name: made })); list.reload(); } }} />}
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
                <Button size="small" data-testid={`template-devices-${r.name}`} onClick={async () => {
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

interface TemplateForm {
  name: string;
  android_version: string;
  width: number;
  height: number;
  cpu_cores: number;
  memory_mb: number;
  init_commands?: string;
}

/** POST /api/v1/templates: name, spec and init commands (one per line, run once after boot). */
function CreateTemplateModal({ onClose }: { onClose: (created?: string) => void }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const [form] = Form.useForm<TemplateForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: TemplateForm) => {
    setBusy(true);
    setError(null);
    try {
      const init = (v.init_commands ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      const made = await api.templates.create({
        name: v.name.trim(),
        spec: { android_version: v.android_version as DeviceSpecInput['android_version'], width: v.width, height: v.height, cpu_cores: v.cpu_cores, memory_mb: v.memory_mb },
        init_commands: init,
      });
      onClose(made.name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('templates.create')} onOk={() => form.submit()} onCancel={() => onClose()} confirmLoading={busy}
      okText={t('common.create')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'template-submit' }}>
      <ErrorAlert error={error} style={{ marginBottom: 16 }} />
      <Form<TemplateForm> form={form} layout="vertical" onFinish={submit}
        initialValues={{ android_version: '13', width: 720, height: 1280, cpu_cores: 2, memory_mb: 2048 }}>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, whitespace: true, max: 64, message: t('templates.nameRule') }]}>
          <Input data-testid="template-name" maxLength={64} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="android_version" label={t('templates.android')}>
            <Select style={{ width: 100 }} options={['11', '12', '13', '14'].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="width" label={t('templates.width')}><InputNumber min={240} max={4096} /></Form.Item>
          <Form.Item name="height" label={t('templates.height')}><InputNumber min={240} max={4096} /></Form.Item>
          <Form.Item name="cpu_cores" label={t('templates.cpu')}><InputNumber min={1} max={32} data-testid="template-cpu" /></Form.Item>
          <Form.Item name="memory_mb" label={t('templates.memory')}><InputNumber min={512} max={65536} step={512} /></Form.Item>
        </Space>
        <Form.Item name="init_commands" label={t('templates.initHelp')}>
          <Input.TextArea rows={3} data-testid="template-init" placeholder="settings put system font_scale 1.1" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
