// Install an app on chosen phones and follow each phone's progress (live events, with a slow
// re-read of the batch while they are not connected).
import {
  ErrorAlert, readAll, useAsync, useAuth, useI18n, useLiveEvents, type AppDetail, type InstallBatch,
} from '@cloudphone/shared';
import { App, Button, List, Progress, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';

export function InstallPanel({ app }: { app: AppDetail }) {
  const { t } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const devices = useAsync(() => readAll((cursor) => api.devices.list({ limit: 100, cursor })), [api]);
  const published = app.versions.filter((v) => v.review_state === 'published');
  const [version, setVersion] = useState<number | undefined>(published[0]?.version_code);
  const [chosen, setChosen] = useState<string[]>([]);
  const [batch, setBatch] = useState<InstallBatch | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reloadBatch = useCallback(async (id: string) => {
    try { setBatch(await api.apps.batch(id)); } catch (e) { setError(e); }
  }, [api]);
  const live = useLiveEvents(api, (e) => {
    if (batch && (e.data?.batch_id === batch.batch_id || e.type === 'reconnected')) void reloadBatch(batch.batch_id);
  });
  useEffect(() => {
    if (!batch || batch.state === 'finished') return;
    const id = window.setTimeout(() => void reloadBatch(batch.batch_id), live === 'open' ? 5000 : 1500);
    return () => window.clearTimeout(id);
  }, [batch, live, reloadBatch]);

  const install = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.apps.install(app.id, chosen, version);
      await reloadBatch(r.batch_id);
      message.info(t('market.installStarted', { n: r.total }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const names = new Map((devices.data ?? []).map((d) => [d.id, d.name]));
  if (!published.length) return <Typography.Text type="secondary">{t('market.noPublishedVersion')}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="install-panel">
      <ErrorAlert error={error ?? devices.error} />
      <Select
        value={version}
        onChange={setVersion}
        style={{ width: '100%' }}
        options={published.map((v) => ({ value: v.version_code, label: `${v.version_name} (${v.version_code})` }))}
      />
      <Select
        mode="multiple"
        value={chosen}
        onChange={setChosen}
        style={{ width: '100%' }}
        placeholder={t('market.choosePhones')}
        loading={devices.loading}
        data-testid="install-devices"
        options={(devices.data ?? []).map((d) => ({ value: d.id, label: `${d.name} · ${t(`phones.state.${d.state}`)}`, disabled: d.state !== 'running' }))}
      />
      <Button type="primary" disabled={!chosen.length || !version} loading={busy} onClick={install} data-testid="install-submit">{t('market.install')}</Button>
      {batch && (
        <List
          size="small"
          header={<Space><Typography.Text strong>{t('market.progress')}</Typography.Text><Tag color={batch.state === 'finished' ? (batch.failed ? 'orange' : 'green') : 'blue'} data-testid="install-batch-state">{t(`market.batch.${batch.state}`)}</Tag><Typography.Text type="secondary">{batch.done}/{batch.total}</Typography.Text></Space>}
          dataSource={batch.items}
          renderItem={(it) => (
            <List.Item data-testid={`install-item-${names.get(it.device_id) ?? it.device_id}`} data-status={it.status}>
              <Space direction="vertical" style={{ width: '100%' }} size={0}>
                <Space><Typography.Text>{names.get(it.device_id) ?? it.device_id}</Typography.Text><Tag>{it.status}</Tag></Space>
                <Progress size="small" percent={Math.round(it.progress)} status={it.status === 'failed' ? 'exception' : it.status === 'installed' ? 'success' : 'active'} />
                {it.reason && <Typography.Text type="danger" style={{ fontSize: 12 }}>{it.reason}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
