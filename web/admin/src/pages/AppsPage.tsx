// Apps for administrators: the review queue (approve, or reject with a reason) and every app with
// its versions (unpublish a published one).
import {
  ApiError, AppIcon, ErrorAlert, formatBytes, formatTime, readAll, useAsync, useAuth, useDescribeError, useI18n, useLiveEvents,
  type AppVersion, type MarketApp, type ReviewState,
} from '@cloudphone/shared';
import { App, Button, Card, Empty, Form, Input, Modal, Result, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';

const COLORS: Record<ReviewState, string> = { draft: 'default', pending: 'processing', published: 'success', rejected: 'error', unpublished: 'warning' };

export function AppsPage() {
  const { t } = useI18n();
  const { api } = useAuth();
  const [tick, setTick] = useState(0);
  useLiveEvents(api, (e) => { if (e.type.startsWith('app.') || e.type === 'reconnected') setTick((n) => n + 1); });
  const pending = useAsync(() => readAll((cursor) => api.apps.list({ review_state: 'pending', limit: 100, cursor }), 10), [api, tick]);
  const all = useAsync(() => readAll((cursor) => api.apps.list({ limit: 100, cursor }), 10), [api, tick]);
  if (all.error instanceof ApiError && all.error.code === 'service_not_deployed') {
    return <Card title={t('nav.apps')}><Result status="info" title={t('market.notDeployed')} /></Card>;
  }
  const reload = () => setTick((n) => n + 1);
  return (
    <Card title={t('nav.apps')} extra={<Button onClick={reload}>{t('common.refresh')}</Button>} data-testid="apps-page">
      <Tabs items={[
        {
          key: 'queue', label: <span data-testid="tab-review">{t('review.queue')} {pending.data ? `(${pending.data.length})` : ''}</span>,
          children: (
            <>
              <ErrorAlert error={pending.error} />
              {pending.data && !pending.data.length ? <Empty description={t('review.empty')} /> : (pending.data ?? []).map((a) => <ReviewCard key={a.id} app={a} tick={tick} onDone={reload} pendingOnly />)}
            </>
          ),
        },
        {
          key: 'all', label: <span data-testid="tab-all-apps">{t('review.allApps')}</span>,
          children: (
            <>
              <ErrorAlert error={all.error} />
              <Table<MarketApp>
                rowKey="id"
                loading={all.loading && !all.data}
                dataSource={all.data ?? []}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                expandable={{ expandedRowRender: (a) => <ReviewCard app={a} tick={tick} onDone={reload} /> }}
                columns={[
                  { title: t('fields.name'), render: (_, a) => <Space><AppIcon api={api} appId={a.id} size={28} /><Typography.Text strong>{a.name || a.package}</Typography.Text></Space> },
                  { title: t('market.package'), dataIndex: 'package' },
                  { title: t('devices.owner'), dataIndex: 'owner_id', render: (v: string) => <Typography.Text style={{ fontSize: 12 }}>{v}</Typography.Text> },
                  { title: t('market.category'), dataIndex: 'category', render: (v: string) => (v ? <Tag>{v}</Tag> : '—') },
                  { title: t('review.inMarket'), dataIndex: 'published', render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
                ]}
              />
            </>
          ),
        },
      ]} />
    </Card>
  );
}

function ReviewCard({ app, tick, onDone, pendingOnly = false }: { app: MarketApp; tick: number; onDone: () => void; pendingOnly?: boolean }) {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const detail = useAsync(() => api.apps.get(app.id), [api, app.id, tick]);
  const [rejecting, setRejecting] = useState<AppVersion | null>(null);
  const versions = (detail.data?.versions ?? []).filter((v) => !pendingOnly || v.review_state === 'pending');
  const act = async (v: AppVersion, action: 'approve' | 'unpublish' | 'reject', reason?: string) => {
    try {
      await api.apps.review(app.id, v.version_code, action, reason);
      message.success(t(`review.done.${action}`, { name: app.name || app.package, version: v.version_name }));
      onDone();
    } catch (e) {
      message.error(describe(e));
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid={`review-${app.package}`}
      title={<Space><AppIcon api={api} appId={app.id} size={32} /><span>{app.name || app.package}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{app.package} · {app.owner_id}</Typography.Text></Space>}>
      <ErrorAlert error={detail.error} />
      {app.description && <Typography.Paragraph type="secondary">{app.description}</Typography.Paragraph>}
      <Table<AppVersion>
        size="small"
        rowKey="version_code"
        pagination={false}
        loading={detail.loading && !detail.data}
        dataSource={versions}
        columns={[
          { title: t('market.version'), render: (_, v) => `${v.version_name} (${v.version_code})` },
          { title: t('market.size'), dataIndex: 'apk_size', render: (n: number) => formatBytes(n) },
          { title: t('review.permissions'), dataIndex: 'permissions', render: (p: string[]) => (p.length ? p.map((x) => <Tag key={x} style={{ fontSize: 11 }}>{x.replace('android.permission.', '')}</Tag>) : '—') },
          { title: t('market.review'), dataIndex: 'review_state', render: (s: ReviewState, v) => <Space direction="vertical" size={0}><Tag color={COLORS[s]}>{t(`market.state.${s}`)}</Tag>{v.review_reason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v.review_reason}</Typography.Text>}</Space> },
          { title: t('fields.created_at'), dataIndex: 'created_at', render: (d: string) => formatTime(d, lang) },
          {
            title: t('common.actions'),
            render: (_, v) => (
              <Space>
                {v.review_state === 'pending' && <Button size="small" type="primary" onClick={() => act(v, 'approve')} data-testid={`approve-${app.package}-${v.version_code}`}>{t('review.approve')}</Button>}
                {v.review_state === 'pending' && <Button size="small" danger onClick={() => setRejecting(v)} data-testid={`reject-${app.package}-${v.version_code}`}>{t('review.reject')}</Button>}
                {v.review_state === 'published' && <Button size="small" onClick={() => act(v, 'unpublish')}>{t('market.unpublish')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      {rejecting && (
        <Modal open title={t('review.rejectTitle', { name: app.name || app.package, version: rejecting.version_name })} okText={t('review.reject')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, htmlType: 'submit', form: 'reject-form' }} onCancel={() => setRejecting(null)}>
          <Form id="reject-form" layout="vertical" onFinish={async (f: { reason: string }) => { await act(rejecting, 'reject', f.reason.trim()); setRejecting(null); }}>
            <Form.Item name="reason" label={t('review.reason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 2000 }]}>
              <Input.TextArea rows={3} autoFocus data-testid="reject-reason" />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </Card>
  );
}
