import {
  currentCursor, ErrorAlert, formatTime, initialPager, pagerReducer, useAsync, useAuth, useDescribeError, useI18n, type User,
} from '@cloudphone/shared';
import { App, Button, Card, Checkbox, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useReducer, useState } from 'react';

const PAGE_SIZES = [10, 20, 50, 100];

export function UsersPage() {
  const { t, lang } = useI18n();
  const { api, user: me, can } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<string>('');
  const [limit, setLimit] = useState(20);
  const [pager, dispatch] = useReducer(pagerReducer, initialPager);
  const cursor = currentCursor(pager);
  const users = useAsync(() => api.users.list({ search: search || undefined, status: status || undefined, limit, cursor }), [api, search, status, limit, cursor]);
  const [rolesFor, setRolesFor] = useState<User | null>(null);

  useEffect(() => {
    if (users.data) dispatch({ type: 'loaded', next: users.data.next_cursor ?? undefined });
  }, [users.data]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
      users.reload();
    } catch (e) {
      message.error(describe(e));
    }
  };

  return (
    <Card title={t('users.title')} data-testid="users-page">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          onSearch={(v) => { setSearch(v.trim()); dispatch({ type: 'reset' }); }}
          style={{ width: 280 }}
          id="users-search"
        />
        <Select
          value={status}
          onChange={(v) => { setStatus(v); dispatch({ type: 'reset' }); }}
          style={{ width: 160 }}
          options={[
            { value: '', label: t('users.allStatuses') },
            { value: 'active', label: t('status.active') },
            { value: 'disabled', label: t('status.disabled') },
          ]}
        />
        <Button onClick={users.reload}>{t('common.refresh')}</Button>
      </Space>
      <ErrorAlert error={users.error} style={{ marginBottom: 16 }} />
      <Table<User>
        rowKey="id"
        size="middle"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: search ? t('users.noMatch') : t('users.empty') }}
        columns={[
          { title: t('fields.username'), dataIndex: 'username', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('fields.display_name'), dataIndex: 'display_name' },
          { title: t('fields.email'), dataIndex: 'email' },
          {
            title: t('fields.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'active' ? 'green' : s === 'disabled' ? 'red' : 'default'} data-testid="user-status">{t(`status.${s}`)}</Tag>,
          },
          { title: t('fields.roles'), dataIndex: 'roles', render: (roles: string[]) => roles.map((r) => <Tag key={r}>{r}</Tag>) },
          { title: t('fields.totp'), dataIndex: 'totp_enabled', render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
          { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
          {
            title: t('common.actions'),
            render: (_, u) => (
              <Space size="small">
                {u.id !== me?.id && can('user:update') && (u.status === 'active' ? (
                  <Popconfirm
                    title={t('users.disableConfirm', { username: u.username })}
                    okText={t('users.disable')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => act(() => api.users.disable(u.id), t('users.disabledMsg', { username: u.username }))}
                  >
                    <Button size="small" danger data-testid={`disable-${u.username}`}>{t('users.disable')}</Button>
                  </Popconfirm>
                ) : u.status === 'disabled' ? (
                  <Button size="small" data-testid={`enable-${u.username}`} onClick={() => act(() => api.users.enable(u.id), t('users.enabledMsg', { username: u.username }))}>
                    {t('users.enable')}
                  </Button>
                ) : null)}
                {can('role:assign') && <Button size="small" onClick={() => setRolesFor(u)}>{t('users.roles')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}>
        <Typography.Text type="secondary">{t('common.page', { page: pager.page + 1 })}</Typography.Text>
        <Button disabled={pager.page === 0 || users.loading} onClick={() => dispatch({ type: 'prev' })}>{t('common.prev')}</Button>
        <Button disabled={!pager.next || users.loading} onClick={() => dispatch({ type: 'next' })}>{t('common.next')}</Button>
        <Select
          value={limit}
          onChange={(v) => { setLimit(v); dispatch({ type: 'reset' }); }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: t('common.perPage', { n }) }))}
          style={{ width: 120 }}
        />
      </Space>
      {rolesFor && <RolesModal user={rolesFor} onClose={(changed) => { setRolesFor(null); if (changed) users.reload(); }} />}
    </Card>
  );
}

function RolesModal({ user, onClose }: { user: User; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const roles = useAsync(() => api.roles.list(), [api]);
  const [selected, setSelected] = useState<string[]>(user.roles);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      for (const r of selected.filter((r) => !user.roles.includes(r))) await api.users.addRole(user.id, r);
      for (const r of user.roles.filter((r) => !selected.includes(r))) await api.users.removeRole(user.id, r);
      onClose(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('users.rolesOf', { username: user.username })} onOk={save} onCancel={() => onClose(false)} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')}>
      <ErrorAlert error={error ?? roles.error} style={{ marginBottom: 16 }} />
      {roles.loading ? t('common.loading') : (
        <Checkbox.Group value={selected} onChange={(v) => setSelected(v as string[])} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
          {(roles.data?.items ?? []).map((r) => (
            <Checkbox key={r.name} value={r.name}>
              <Typography.Text strong>{r.name}</Typography.Text> <Typography.Text type="secondary">{r.description}</Typography.Text>
            </Checkbox>
          ))}
        </Checkbox.Group>
      )}
    </Modal>
  );
}
