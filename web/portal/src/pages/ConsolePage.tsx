import { ArrowLeftOutlined } from '@ant-design/icons';
import { ErrorAlert, PhoneConsole, STATE_COLORS, useAsync, useAuth, useI18n, useLiveEvents } from '@cloudphone/shared';
import { Badge, Button, Card, Skeleton, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';

export function ConsolePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { api } = useAuth();
  const navigate = useNavigate();
  const device = useAsync(() => api.devices.get(id), [api, id]);
  // The phone stopping or failing shows at once.
  useLiveEvents(api, (e) => { if (e.type === 'reconnected' || e.subject === id) device.reload(); });
  const d = device.data;
  return (
    <Card
      data-testid="console-page"
      title={(
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/phones')} aria-label={t('console.backToList')} />
          <Typography.Title level={4} style={{ margin: 0 }}>{d?.name ?? t('console.title')}</Typography.Title>
          {d && <Badge status={STATE_COLORS[d.state] as 'success'} text={<span data-testid="console-device-state">{t(`phones.state.${d.state}`)}</span>} />}
        </Space>
      )}
    >
      <ErrorAlert error={device.error} />
      {!d && device.loading && <Skeleton active />}
      {d && d.state !== 'running' && <Typography.Paragraph type="secondary">{t('console.notRunning')}</Typography.Paragraph>}
      {d && d.state === 'running' && <PhoneConsole key={d.id} api={api} device={d} />}
    </Card>
  );
}
