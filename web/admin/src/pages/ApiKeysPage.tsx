import {
  currentCursor, ErrorAlert, formatTime, initialPager, pagerReducer, useAsync, useAuth, useDescribeError, useI18n, type AdminApiKey,
} from '@cloudphone/shared';
import { App, Button, Card, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useReducer, useState, type HTMLAttributes } from 'react';

/** Every user's API keys (api_key:admin): filter by owner, revoke any key. */
export function ApiKeysPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [pager, dispatch] = useReducer(pagerReducer, initialPager);
  const cursor = currentCursor(pager);
  const keys = useAsync(
    () => api.apiKeys.listAll({ search: search || undefined, state: (state || undefined) as 'active' | 'revoked' | undefined, limit: 50, cursor }),
    [api, search, state, cursor],
  );
  useEffect(() => {
    if (keys.data) dispatch({ type: 'loaded', next: keys.data.next_cursor ?? undefined });
  }, [keys.data]);

  const revoke = async (k: AdminApiKey) => {
    try {
      await api.apiKeys.revoke(k.id);
      message.success(t('apiKeys.revoked', { name: k.name }));
      keys.reload();
    } catch (e) {
      message.error(describe(e));
    }
  };

  return (
    <Card title={t('apiKeys.adminTitle')} data-testid="api-keys-page">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          id="api-keys-owner"
          placeholder={t('apiKeys.ownerSearch')}
          onSearch={(v) => { setSearch(v.trim()); dispatch({ type: 'reset' }); }}
          style={{ width: 280 }}
        />
        <Select
          value={state}
          onChange={(v) => { setState(v); dispatch({ type: 'reset' }); }}
          style={{ width: 160 }}
          options={[
            { value: '', label: t('apiKeys.allStates') },
            { value: 'active', label: t('apiKeys.statusActive') },
            { value: 'revoked', label: t('apiKeys.statusRevoked') },
          ]}
        />
        <Button onClick={keys.reload}>{t('common.refresh')}</Button>
      </Space>
      <ErrorAlert error={keys.error} style={{ marginBottom: 16 }} />
      <Table<AdminApiKey>
        rowKey="id"
        size="middle"
        loading={keys.loading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('apiKeys.empty') }}
        onRow={(k) => ({ 'data-testid': `api-key-row-${k.prefix}` } as HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('apiKeys.owner'), dataIndex: 'owner_username', render: (v: string, k) => <Typography.Text strong title={k.owner_id}>{v}</Typography.Text> },
          { title: t('fields.name'), dataIndex: 'name' },
          { title: t('apiKeys.prefix'), dataIndex: 'prefix', render: (v: string) => <Typography.Text code data-testid="api-key-prefix">{v}</Typography.Text> },
          { title: t('apiKeys.scopes'), dataIndex: 'scopes', render: (s: string[]) => (s.length ? s.map((x) => <Tag key={x}>{x}</Tag>) : <Typography.Text type="secondary">{t('apiKeys.allScopes')}</Typography.Text>) },
          { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
          { title: t('apiKeys.lastUsed'), dataIndex: 'last_used_at', render: (v: string | null) => (v ? formatTime(v, lang) : t('apiKeys.never')) },
          { title: t('apiKeys.expires'), dataIndex: 'expires_at', render: (v: string | null) => (v ? formatTime(v, lang) : t('apiKeys.noExpiry')) },
          {
            title: t('apiKeys.revokedAt'),
            dataIndex: 'revoked_at',
            render: (v: string | null) => (v ? <Tag color="red" data-testid="api-key-revoked">{formatTime(v, lang)}</Tag> : <Tag color="green">{t('apiKeys.statusActive')}</Tag>),
          },
          {
            title: t('common.actions'),
            render: (_, k) => (k.revoked_at ? null : (
              <Popconfirm
                title={t('apiKeys.adminRevokeConfirm', { name: k.name, owner: k.owner_username })}
                okText={t('apiKeys.revoke')}
                cancelText={t('common.cancel')}
                onConfirm={() => revoke(k)}
              >
                <Button size="small" danger data-testid={`revoke-${k.prefix}`}>{t('apiKeys.revoke')}</Button>
              </Popconfirm>
            )),
          },
        ]}
      />
      <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}>
        <Typography.Text type="secondary">{t('common.page', { page: pager.page + 1 })}</Typography.Text>
        <Button disabled={pager.page === 0 || keys.loading} onClick={() => dispatch({ type: 'prev' })}>{t('common.prev')}</Button>
        <Button disabled={!pager.next || keys.loading} onClick={() => dispatch({ type: 'next' })}>{t('common.next')}</Button>
      </Space>
    </Card>
  );
}
