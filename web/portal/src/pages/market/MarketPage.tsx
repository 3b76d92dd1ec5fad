// The app market: published apps (search, icon, description, versions, install to phones) and
// the user's own uploads (upload with progress, submit a version for review, see the verdict).
import { CloudUploadOutlined } from '@ant-design/icons';
import {
  ApiError, AppIcon, ErrorAlert, formatBytes, formatTime, useAsync, useAuth, useDescribeError, useI18n, useLiveEvents,
  type AppVersion, type MarketApp, type ReviewState,
} from '@cloudphone/shared';
import { App, Button, Card, Col, Drawer, Empty, Input, List, Progress, Result, Row, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { InstallPanel } from './InstallPanel';

export const REVIEW_COLORS: Record<ReviewState, string> = {
  draft: 'default', pending: 'processing', published: 'success', rejected: 'error', unpublished: 'warning',
};

export function MarketPage() {
  const { t } = useI18n();
  const { tab = 'browse' } = useParams();
  const navigate = useNavigate();
  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('market.title')}</Typography.Title>} data-testid="market-page">
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(k === 'browse' ? '/apps' : `/apps/${k}`)}
        items={[
          { key: 'browse', label: t('market.browse'), children: <Browse /> },
          { key: 'mine', label: t('market.mine'), children: <MyUploads /> },
        ]}
      />
    </Card>
  );
}

function Browse() {
  const { t } = useI18n();
  const { api } = useAuth();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const apps = useAsync(() => api.apps.list({ q: q || undefined, limit: 100 }), [api, q]);
  const published = (apps.data?.items ?? []).filter((a) => a.published);
  if (apps.error instanceof ApiError && apps.error.code === 'service_not_deployed') {
    return <Result status="info" title={t('market.notDeployed')} />;
  }
  return (
    <>
      <Input.Search allowClear placeholder={t('market.search')} onSearch={(v) => setQ(v.trim())} style={{ maxWidth: 360, marginBottom: 16 }} data-testid="market-search" />
      <ErrorAlert error={apps.error} />
      {!apps.loading && !published.length ? <Empty description={t('market.empty')} /> : (
        <List
          loading={apps.loading && !apps.data}
          grid={{ gutter: 16, xs: 1, sm: 2, md: 3, lg: 4 }}
          dataSource={published}
          renderItem={(a) => (
            <List.Item>
              <Card hoverable size="small" onClick={() => setOpen(a.id)} data-testid={`market-app-${a.package}`}>
                <Card.Meta avatar={<AppIcon api={api} appId={a.id} />} title={a.name || a.package}
                  description={<Space direction="vertical" size={0}><Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.package}</Typography.Text>{a.category && <Tag>{a.category}</Tag>}</Space>} />
                {a.description && <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginTop: 8, marginBottom: 0 }}>{a.description}</Typography.Paragraph>}
              </Card>
            </List.Item>
          )}
        />
      )}
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={520} destroyOnClose title={t('market.details')}>
        {open && <AppDetails id={open} />}
      </Drawer>
    </>
  );
}

function AppDetails({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const app = useAsync(() => api.apps.get(id), [api, id]);
  if (!app.data) return <ErrorAlert error={app.error} />;
  const a = app.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Space align="start">
        <AppIcon api={api} appId={a.id} size={64} />
        <Space direction="vertical" size={0}>
          <Typography.Title level={4} style={{ margin: 0 }}>{a.name || a.package}</Typography.Title>
          <Typography.Text type="secondary">{a.package}</Typography.Text>
          {a.category && <Tag>{a.category}</Tag>}
        </Space>
      </Space>
      {a.description && <Typography.Paragraph>{a.description}</Typography.Paragraph>}
      <Card size="small" title={t('market.installTo')}><InstallPanel app={a} /></Card>
      <Card size="small" title={t('market.versions')}>
        <VersionTable versions={a.versions} lang={lang} />
      </Card>
    </Space>
  );
}

export function VersionTable({ versions, lang, actions }: { versions: AppVersion[]; lang: string; actions?: (v: AppVersion) => React.ReactNode }) {
  const { t } = useI18n();
  return (
    <Table<AppVersion>
      size="small"
      rowKey="version_code"
      pagination={false}
      dataSource={versions}
      columns={[
        { title: t('market.version'), render: (_, v) => `${v.version_name} (${v.version_code})` },
        { title: t('market.size'), dataIndex: 'apk_size', render: (n: number) => formatBytes(n) },
        { title: t('market.minSdk'), dataIndex: 'min_sdk' },
        {
          title: t('market.review'), dataIndex: 'review_state',
          render: (s: ReviewState, v) => (
            <Space direction="vertical" size={0}>
              <Tag color={REVIEW_COLORS[s]} data-testid={`review-state-${v.version_code}`}>{t(`market.state.${s}`)}</Tag>
              {v.review_reason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v.review_reason}</Typography.Text>}
            </Space>
          ),
        },
        { title: t('fields.created_at'), dataIndex: 'created_at', render: (d: string) => formatTime(d, lang) },
        ...(actions ? [{ title: t('common.actions'), render: (_: unknown, v: AppVersion) => actions(v) }] : []),
      ]}
    />
  );
}

function MyUploads() {
  const { t, lang } = useI18n();
  const { api, user } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const apps = useAsync(() => (user ? api.apps.list({ owner: user.id, limit: 100 }) : Promise.resolve({ items: [] as MarketApp[] })), [api, user]);
  const [upload, setUpload] = useState<{ name: string; percent: number; status: 'active' | 'success' | 'exception'; detail?: string } | null>(null);
  useLiveEvents(api, (e) => { if (e.type.startsWith('app.') || e.type === 'reconnected') apps.reload(); });

  const send = async (file: File) => {
    setUpload({ name: file.name, percent: 0, status: 'active' });
    try {
      const r = await api.apps.upload(file, {}, (s, total) => setUpload((u) => u && { ...u, percent: total ? Math.min(99, Math.floor((s / total) * 100)) : 0 }));
      setUpload({ name: file.name, percent: 100, status: 'success', detail: t(r.new_app ? 'market.uploadedNew' : 'market.uploadedVersion', { name: r.name || r.package }) });
      apps.reload();
    } catch (e) {
      setUpload({ name: file.name, percent: 100, status: 'exception', detail: describe(e) });
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space align="start" wrap>
        <Upload accept=".apk" showUploadList={false} beforeUpload={(f) => { void send(f); return false; }}>
          <Button type="primary" icon={<CloudUploadOutlined />} data-testid="market-upload">{t('market.upload')}</Button>
        </Upload>
        <Typography.Text type="secondary">{t('market.uploadHint')}</Typography.Text>
      </Space>
      {upload && (
        <div data-testid="market-upload-progress" data-status={upload.status}>
          <Typography.Text>{upload.name}</Typography.Text>
          <Progress percent={upload.percent} status={upload.status} size="small" />
          {upload.detail && <Typography.Text type={upload.status === 'exception' ? 'danger' : 'secondary'}>{upload.detail}</Typography.Text>}
        </div>
      )}
      <ErrorAlert error={apps.error} />
      {!apps.loading && !apps.data?.items.length ? <Empty description={t('market.noUploads')} /> : (
        <Row gutter={[16, 16]}>
          {(apps.data?.items ?? []).map((a) => (
            <Col span={24} key={a.id}>
              <MyApp id={a.id} lang={lang} onChange={apps.reload} onError={(e) => message.error(describe(e))} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}

function MyApp({ id, lang, onChange, onError }: { id: string; lang: string; onChange: () => void; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const app = useAsync(() => api.apps.get(id), [api, id]);
  const a = app.data;
  if (!a) return <ErrorAlert error={app.error} />;
  const act = async (v: AppVersion, action: 'submit' | 'unpublish') => {
    try { await api.apps.review(a.id, v.version_code, action); app.reload(); onChange(); } catch (e) { onError(e); }
  };
  return (
    <Card size="small" data-testid={`my-app-${a.package}`} title={<Space><AppIcon api={api} appId={a.id} size={32} /><span>{a.name || a.package}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.package}</Typography.Text></Space>}>
      <VersionTable versions={a.versions} lang={lang} actions={(v) => (
        <Space>
          {(v.review_state === 'draft' || v.review_state === 'rejected' || v.review_state === 'unpublished') && <Button size="small" onClick={() => act(v, 'submit')} data-testid={`submit-${a.package}-${v.version_code}`}>{t('market.submit')}</Button>}
          {v.review_state === 'published' && <Button size="small" danger onClick={() => act(v, 'unpublish')}>{t('market.unpublish')}</Button>}
        </Space>
      )} />
    </Card>
  );
}
