import { ApiError, ErrorAlert, useAsync, useAuth, useI18n } from '@cloudphone/shared';
import { Button, Card, Empty, Result, Skeleton, Table, Typography } from 'antd';

export function PhonesPage() {
  const { t } = useI18n();
  const { api } = useAuth();
  const devices = useAsync(() => api.devices.list(), [api]);

  let body: React.ReactNode;
  if (devices.loading && !devices.data && !devices.error) {
    body = <Skeleton active />;
  } else if (devices.error instanceof ApiError && devices.error.code === 'service_not_deployed') {
    body = (
      <Result
        status="info"
        data-testid="phones-not-deployed"
        title={t('phones.notDeployedTitle')}
        subTitle={t('phones.notDeployedBody')}
        extra={<Button onClick={devices.reload}>{t('common.retry')}</Button>}
      />
    );
  } else if (devices.error) {
    body = (
      <>
        <ErrorAlert error={devices.error} />
        <Button style={{ marginTop: 16 }} onClick={devices.reload}>{t('common.retry')}</Button>
      </>
    );
  } else if (!devices.data?.items.length) {
    body = <Empty data-testid="phones-empty" description={t('phones.empty')} />;
  } else {
    body = (
      <Table
        rowKey={(r) => String(r.id)}
        dataSource={devices.data.items}
        pagination={false}
        columns={[
          { title: t('phones.col.id'), dataIndex: 'id' },
          { title: t('phones.col.name'), dataIndex: 'name' },
          { title: t('phones.col.status'), dataIndex: 'status' },
        ]}
      />
    );
  }

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('phones.title')}</Typography.Title>}>
      {body}
    </Card>
  );
}
