import { ErrorAlert, useAsync, useAuth, useI18n } from '@cloudphone/shared';
import { Badge, Card, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { filterConfig } from './configFilter';

/** The running configuration of the platform, for the System page (system:config). */
export function ConfigView() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const cfg = useAsync(() => api.system.config(), [api]);
  const [query, setQuery] = useState('');
  const rows = useMemo(() => filterConfig(cfg.data?.config ?? [], query), [cfg.data, query]);
  const c = cfg.data;
  const where = (l: string) => (l === 'in_process' ? 'success' : l === 'remote' ? 'processing' : 'default') as 'success' | 'processing' | 'default';
  return (
    <Card title={t('system.config')} data-testid="system-config" loading={cfg.loading && !c}>
      <ErrorAlert error={cfg.error} style={{ marginBottom: 16 }} />
      {c && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('system.version')}>{c.version}</Descriptions.Item>
            <Descriptions.Item label={t('system.startedAt')}>{new Date(c.started_at).toLocaleString(lang, { hour12: false })}</Descriptions.Item>
            <Descriptions.Item label={t('system.process')}>{`${c.process.command} · pid ${c.process.pid} · ${c.process.hostname}`}</Descriptions.Item>
            <Descriptions.Item label={t('system.database')}>{`${c.backends.core_db} / ${c.backends.billing_db}`}</Descriptions.Item>
            <Descriptions.Item label={t('system.cache')}>{t(`system.backend.${c.backends.cache}`)}</Descriptions.Item>
            <Descriptions.Item label={t('system.bus')}>{t(`system.backend.${c.backends.bus}`)}</Descriptions.Item>
            <Descriptions.Item label={t('system.objectStore')}>{`${c.backends.object_store} · ${c.backends.object_store_location}`}</Descriptions.Item>
            <Descriptions.Item label={t('system.versions')}>
              {c.versions.map((v) => <Tag key={v.component}>{`${v.component} ${v.version}`}</Tag>)}
            </Descriptions.Item>
            <Descriptions.Item label={t('system.services')} span={2}>
              <Space wrap>
                {c.services.map((s) => (
                  <Badge key={s.name} status={where(s.location)} data-testid={`service-${s.name}`}
                    text={`${s.name}: ${t(`system.location.${s.location}`)}${s.instances.length ? ` (${s.instances.join(', ')})` : ''}`} />
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
          <Input.Search allowClear id="config-search" placeholder={t('system.configSearch')} onChange={(e) => setQuery(e.target.value)} onSearch={setQuery} style={{ maxWidth: 360 }} />
          <Table
            rowKey="key"
            size="small"
            dataSource={rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: t('system.configEmpty') }}
            columns={[
              { title: t('system.configKey'), dataIndex: 'key', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              {
                title: t('system.configValue'),
                dataIndex: 'value',
                render: (v: string, r) => (
                  <Space>
                    <Typography.Text style={{ wordBreak: 'break-all' }} data-testid={`config-${r.key}`}>{v}</Typography.Text>
                    {r.masked && <Tag color="orange">{t('system.masked')}</Tag>}
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
