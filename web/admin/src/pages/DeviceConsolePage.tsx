import { ArrowLeftOutlined } from '@ant-design/icons';
import { ErrorAlert, PhoneConsole, STATE_COLORS, useAsync, useAuth, useI18n, useLiveEvents } from '@cloudphone/shared';
import { Alert, Badge, Button, Card, Skeleton, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';

/** An administrator's view of any phone's screen: view-only unless the phone is their own. */
export function DeviceConsolePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { api, user } = useAuth();
  const navigate = useNavigate();
  const device = useAsync(() => api.devices.get(id), [api, id]);
  useLiveEvents(api, (e) => { if (e.type === 'reconnected' || e.subject === id) device.reload(); });
  const d = device.data;
  const observer = !!d && d.owner_id !== user?.id;
  return (
    <Card
      data-testid="console-page"
      title={(
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/devices')} aria-label={t('console.backToList')} />
          <Typography.Title level={4} style={{ margin: 0 }}>{d?.name ?? t('console.title')}</Typography.Title>
          {d && <Badge status={STATE_COLORS[d.state] as 'success'} text={t(`phones.state.${d.state}`)} />}
          {d && <Typography.Text type="secondary" copyable={{ text: d.owner_id }}>{t('devices.owner')}: {d.owner_id}</Typography.Text>}
        </Space>
      )}
    >
      <ErrorAlert error={device.error} />
      {!d && device.loading && <Skeleton active />}
      {observer && <Alert type="info" showIcon message={t('console.observerNote')} style={{ marginBottom: 16 }} />}
      {d && d.state !== 'running' && <Typography.Paragraph type="secondary">{t('console.notRunning')}</Typography.Paragraph>}
      {d && d.state === 'running' && <PhoneConsole key={d.id} api={api} device={d} observer={observer} />}
    </Card>
  );
}
