import {
  ApiError, canDo, currentCursor, ErrorAlert, formatTime, initialPager, isTransitional, pagerReducer, STATE_COLORS, useAsync, useAuth,
  useDescribeError, useI18n, useLiveDevices, type Device, type DeviceAction,
} from '@cloudphone/shared';
import { App, Badge, Button, Card, Input, Popconfirm, Result, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useEffect, useReducer, useState } from 'react';
import { useNavigate } from 'react-router-dom';

const STATES = ['creating', 'booting', 'running', 'stopping', 'stopped', 'error'] as const;

const RUNTIMES = ['process', 'docker', 'adb'] as const;

export function DevicesPage() {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const [owner, setOwner] = useState('');
  const [state, setState] = useState('');
  const [runtime, setRuntime] = useState('');
  const [pager, dispatch] = useReducer(pagerReducer, initialPager);
  const cursor = currentCursor(pager);
  const devices = useAsync(() => api.devices.list({ owner: owner || undefined, state: state || undefined, runtime: runtime || undefined, limit: 50, cursor }), [api, owner, state, runtime, cursor]);
  useEffect(() => {
    if (devices.data) dispatch({ type: 'loaded', next: devices.data.next_cursor ?? undefined });
  }, [devices.data]);
  const navigate = useNavigate();
  // Live events keep the states current; reading again on a timer only while they are down.
  const { items: liveItems, status: live } = useLiveDevices(api, devices.data?.items, devices.reload);
  // A filtered page keeps only the devices that still match the filter.
  const items = liveItems.filter((d) => (!state || d.state === state || isTransitional(d.state)) && (!runtime || d.runtime === runtime));
  const settling = items.some((d) => isTransitional(d.state));
  useEffect(() => {
    if (!settling || live === 'open') return;
    const id = window.setTimeout(devices.reload, 2000);
    return () => window.clearTimeout(id);
  }, [settling, live, devices.data, devices.reload]);

  const act = async (action: DeviceAction, d: Device) => {
    try {
      if (action === 'remove') await api.devices.remove(d.id);
      else await api.devices[action](d.id);
      message.success(t('phones.actionDone', { action: t(`phones.action.${action}`), n: 1 }));
      devices.reload();
    } catch (e) {
      message.error(describe(e));
    }
  };

  if (devices.error instanceof ApiError && devices.error.code === 'service_not_deployed') {
    return (
      <Card title={t('devices.title')}>
        <Result status="info" title={t('devices.notDeployed')} subTitle={describe(devices.error)} extra={<Button onClick={devices.reload}>{t('common.retry')}</Button>} />
      </Card>
    );
  }

  return (
    <Card title={t('devices.title')} data-testid="devices-page">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('devices.ownerPlaceholder')} style={{ width: 300 }} onSearch={(v) => { setOwner(v.trim()); dispatch({ type: 'reset' }); }} />
        <Select
          value={state}
          style={{ width: 160 }}
          onChange={(v) => { setState(v); dispatch({ type: 'reset' }); }}
          options={[{ value: '', label: t('devices.allStates') }, ...STATES.map((s) => ({ value: s, label: t(`phones.state.${s}`) }))]}
        />
        <Select
          value={runtime}
          style={{ width: 200 }}
          data-testid="devices-runtime-filter"
          onChange={(v) => { setRuntime(v); dispatch({ type: 'reset' }); }}
          options={[{ value: '', label: t('devices.allRuntimes') }, ...RUNTIMES.map((r) => ({ value: r, label: t(`phones.runtime.${r}`) }))]}
        />
        <Button onClick={devices.reload}>{t('common.refresh')}</Button>
        <Badge status={live === 'open' ? 'processing' : 'default'} text={t(live === 'open' ? 'live.on' : 'live.off')} data-testid="live-status" data-live={live} />
      </Space>
      <ErrorAlert error={devices.error} style={{ marginBottom: 16 }} />
      <Table<Device>
        rowKey="id"
        size="middle"
        loading={devices.loading && !devices.data}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('devices.empty') }}
        columns={[
          { title: t('phones.col.name'), dataIndex: 'name', render: (v: string, d) => <Space direction="vertical" size={0}><Typography.Text strong>{v}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: d.id }}>{d.id}</Typography.Text></Space> },
          { title: t('devices.owner'), dataIndex: 'owner_id', render: (v: string) => <Typography.Text copyable={{ text: v }} style={{ fontSize: 12 }}>{v}</Typography.Text> },
          {
            title: t('phones.col.status'), dataIndex: 'state',
            render: (s: Device['state'], d) => (
              <Tooltip title={d.state_reason || undefined}>
                <Badge style={{ whiteSpace: 'nowrap' }} status={STATE_COLORS[s] as 'success'} text={t(`phones.state.${s}`)} />
              </Tooltip>
            ),
          },
          { title: t('phones.col.android'), render: (_, d) => `Android ${d.spec.android_version}` },
          { title: t('phones.col.resources'), render: (_, d) => t('phones.resources', { cpu: d.spec.cpu_cores, mem: d.spec.memory_mb }) },
          { title: t('phones.col.runtime'), dataIndex: 'runtime', render: (r: string) => t(`phones.runtime.${r}`) },
          { title: t('fields.created_at'), dataIndex: 'created_at', render: (v: string) => formatTime(v, lang) },
          {
            title: t('common.actions'),
            render: (_, d) => (
              <Space size="small" wrap>
                <Button size="small" type="primary" ghost disabled={d.state !== 'running'} onClick={() => navigate(`/devices/${d.id}/console`)} data-testid={`observe-${d.name}`}>{t('devices.observe')}</Button>
                {(['start', 'stop', 'restart'] as const).filter((a) => canDo(a, d.state)).map((a) => (
                  <Button key={a} size="small" onClick={() => act(a, d)}>{t(`phones.action.${a}`)}</Button>
                ))}
                <Popconfirm title={t('phones.deleteConfirm', { name: d.name })} onConfirm={() => act('remove', d)} okText={t('phones.action.remove')} cancelText={t('common.cancel')}>
                  <Button size="small" danger>{t('phones.action.remove')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}>
        <Typography.Text type="secondary">{t('common.page', { page: pager.page + 1 })}</Typography.Text>
        <Button disabled={pager.page === 0 || devices.loading} onClick={() => dispatch({ type: 'prev' })}>{t('common.prev')}</Button>
        <Button disabled={!pager.next || devices.loading} onClick={() => dispatch({ type: 'next' })}>{t('common.next')}</Button>
      </Space>
    </Card>
  );
}
