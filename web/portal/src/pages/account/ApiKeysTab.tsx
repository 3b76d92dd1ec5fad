import { ErrorAlert, formatTime, useAsync, useAuth, useI18n, type ApiKey, type CreatedApiKey } from '@cloudphone/shared';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

export function ApiKeysTab() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const keys = useAsync(() => api.apiKeys.list(), [api]);
  const [createOpen, setCreateOpen] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  const create = async ({ name }: { name: string }) => {
    setBusy(true);
    setError(null);
    try {
      const k = await api.apiKeys.create({ name: name.trim() });
      setCreateOpen(false);
      form.resetFields();
      setCreated(k);
      keys.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (k: ApiKey) => {
    try {
      await api.apiKeys.revoke(k.id);
      message.success(t('apiKeys.revoked', { name: k.name }));
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => { setError(null); setCreateOpen(true); }} data-testid="apikey-create">{t('apiKeys.create')}</Button>
        <Typography.Text type="secondary">{t('apiKeys.hint')}</Typography.Text>
      </Space>
      <ErrorAlert error={error ?? keys.error} />
      <Table<ApiKey>
        rowKey="id"
        loading={keys.loading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('apiKeys.empty') }}
        columns={[
          { title: t('fields.name'), dataIndex: 'name' },
          { title: t('apiKeys.prefix'), dataIndex: 'prefix', render: (p?: string) => (p ? <Typography.Text code>{p}…</Typography.Text> : '—') },
          { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
          { title: t('apiKeys.lastUsed'), dataIndex: 'last_used_at', render: (v?: string | null) => (v ? formatTime(v, lang) : t('apiKeys.never')) },
          { title: t('apiKeys.expires'), dataIndex: 'expires_at', render: (v?: string | null) => (v ? formatTime(v, lang) : t('apiKeys.noExpiry')) },
          {
            title: t('fields.status'),
            render: (_, k) => (k.revoked_at ? <Tag color="red">{t('apiKeys.statusRevoked')}</Tag> : <Tag color="green">{t('status.active')}</Tag>),
          },
          {
            title: t('common.actions'),
            render: (_, k) => (k.revoked_at ? null : (
              <Popconfirm title={t('apiKeys.revokeConfirm', { name: k.name })} onConfirm={() => revoke(k)} okText={t('apiKeys.revoke')} cancelText={t('common.cancel')}>
                <Button danger size="small">{t('apiKeys.revoke')}</Button>
              </Popconfirm>
            )),
          },
        ]}
      />
      <Modal
        open={createOpen}
        title={t('apiKeys.create')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setCreateOpen(false)}
        destroyOnClose
      >
        <ErrorAlert error={error} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical" onFinish={create} preserve={false}>
          <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, max: 100, message: t('validation.required') }]}>
            <Input autoFocus data-testid="apikey-name" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={created !== null}
        title={t('apiKeys.createdTitle')}
        onCancel={() => setCreated(null)}
        footer={<Button type="primary" onClick={() => setCreated(null)}>{t('apiKeys.done')}</Button>}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon message={t('apiKeys.showOnce')} />
          <Typography.Paragraph code copyable data-testid="apikey-secret" style={{ wordBreak: 'break-all' }}>{created?.key}</Typography.Paragraph>
        </Space>
      </Modal>
    </Space>
  );
}
