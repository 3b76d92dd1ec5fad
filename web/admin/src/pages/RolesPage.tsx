import { ErrorAlert, formatTime, useAsync, useAuth, useI18n, type Permission, type Role } from '@cloudphone/shared';
import { Card, Space, Table, Tag, Typography } from 'antd';

export function RolesPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const roles = useAsync(() => api.roles.list(), [api]);
  const perms = useAsync(() => api.permissions.list(), [api]);
  const describe = new Map((perms.data?.items ?? []).map((p) => [p.name, p.description]));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('roles.title')} data-testid="roles-page">
        <ErrorAlert error={roles.error} style={{ marginBottom: 16 }} />
        <Table<Role>
          rowKey="id"
          loading={roles.loading}
          dataSource={roles.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('roles.empty') }}
          expandable={{
            expandedRowRender: (r) => (
              <Space wrap size={[4, 8]}>
                {r.permissions.map((p) => <Tag key={p} title={describe.get(p) ?? ''}>{p}</Tag>)}
              </Space>
            ),
          }}
          columns={[
            { title: t('fields.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('roles.description'), dataIndex: 'description' },
            { title: t('roles.builtin'), dataIndex: 'builtin', render: (v: boolean) => (v ? <Tag color="blue">{t('roles.builtinTag')}</Tag> : <Tag>{t('roles.customTag')}</Tag>) },
            { title: t('roles.permissionCount'), render: (_, r) => r.permissions.length },
            { title: t('fields.updated_at'), dataIndex: 'updated_at', render: (v: string) => (v.startsWith('1970') ? '—' : formatTime(v, lang)) },
          ]}
        />
      </Card>
      <Card title={t('roles.permissionsTitle')}>
        <ErrorAlert error={perms.error} style={{ marginBottom: 16 }} />
        <Table<Permission>
          rowKey="name"
          size="small"
          loading={perms.loading}
          dataSource={perms.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: t('roles.permission'), dataIndex: 'name', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('roles.description'), dataIndex: 'description' },
            {
              title: t('roles.grantedTo'),
              render: (_, p) => (roles.data?.items ?? [])
                .filter((r) => r.permissions.some((g) => g === '*' || g === p.name || g === `${p.name.split(':')[0]}:*`))
                .map((r) => <Tag key={r.id}>{r.name}</Tag>),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
