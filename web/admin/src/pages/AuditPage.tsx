import {
  currentCursor, ErrorAlert, formatTime, initialPager, pagerReducer, useAsync, useAuth, useI18n, type AuditEntry, type AuditQuery,
} from '@cloudphone/shared';
import { Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useReducer, useState } from 'react';

export function AuditPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const [filters, setFilters] = useState<AuditQuery>({});
  const [pager, dispatch] = useReducer(pagerReducer, initialPager);
  const cursor = currentCursor(pager);
  const audit = useAsync(() => api.audit.list({ ...filters, limit: 50, cursor }), [api, filters, cursor]);
  useEffect(() => {
    if (audit.data) dispatch({ type: 'loaded', next: audit.data.next_cursor ?? undefined });
  }, [audit.data]);

  const apply = (v: AuditQuery) => {
    const clean: AuditQuery = {};
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string' && val.trim()) (clean as Record<string, string>)[k] = val.trim();
    setFilters(clean);
    dispatch({ type: 'reset' });
  };

  return (
    <Card title={t('audit.title')} data-testid="audit-page">
      <Form layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="action"><Input allowClear placeholder={t('audit.action')} /></Form.Item>
        <Form.Item name="actor_id"><Input allowClear placeholder={t('audit.actor')} /></Form.Item>
        <Form.Item name="target_id"><Input allowClear placeholder={t('audit.target')} /></Form.Item>
        <Button type="primary" htmlType="submit">{t('common.filter')}</Button>
        <Button style={{ marginLeft: 8 }} onClick={audit.reload}>{t('common.refresh')}</Button>
      </Form>
      <ErrorAlert error={audit.error} style={{ marginBottom: 16 }} />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={audit.loading}
        dataSource={audit.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('audit.empty') }}
        expandable={{
          rowExpandable: (e) => Object.keys(e.details ?? {}).length > 0,
          expandedRowRender: (e) => <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.details, null, 2)}</Typography.Text>,
        }}
        columns={[
          { title: t('audit.time'), dataIndex: 'time', render: (v: string) => formatTime(v, lang), width: 180 },
          { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text> },
          { title: t('audit.outcome'), dataIndex: 'outcome', render: (v: string) => <Tag color={v === 'success' ? 'green' : 'red'}>{t(`audit.outcome.${v === 'success' ? 'success' : 'failure'}`)}</Tag> },
          { title: t('audit.actor'), dataIndex: 'actor_id', ellipsis: true, render: (v: string) => <Typography.Text copyable={!!v} title={v}>{v || '—'}</Typography.Text> },
          { title: t('audit.target'), ellipsis: true, render: (_, e) => (e.target_id ? <span title={e.target_id}>{`${e.target_type}: ${e.target_id}`}</span> : '—') },
          { title: t('audit.ip'), dataIndex: 'client_ip', width: 120 },
        ]}
      />
      <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}>
        <Typography.Text type="secondary">{t('common.page', { page: pager.page + 1 })}</Typography.Text>
        <Button disabled={pager.page === 0 || audit.loading} onClick={() => dispatch({ type: 'prev' })}>{t('common.prev')}</Button>
        <Button disabled={!pager.next || audit.loading} onClick={() => dispatch({ type: 'next' })}>{t('common.next')}</Button>
      </Space>
    </Card>
  );
}
