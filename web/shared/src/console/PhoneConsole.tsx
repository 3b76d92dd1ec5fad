// The phone console: the live screen with touch, keyboard and navigation, and the tools around
// it (screenshot, clipboard, APK install and file upload by drag and drop, full screen,
// connection quality). `observer` (admins on others' phones) shows the screen view-only.
import {
  ArrowLeftOutlined, BorderOutlined, CameraOutlined, CloudUploadOutlined, CopyOutlined, ExpandOutlined, HomeOutlined,
  MenuOutlined, ReloadOutlined, RotateRightOutlined, SendOutlined, SoundOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Input, List, Popconfirm, Progress, Result, Segmented, Space, Spin, Tag, Tooltip, Typography, Upload } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import type { Device } from '../api/types';
import { ErrorAlert, useDescribeError } from '../components/ErrorAlert';
import { useAsync } from '../components/useAsync';
import { useI18n } from '../i18n';
import { toFrame } from '../media/coords';
import { KEYCODE, keyToInput, textChunks } from '../media/protocol';
import { initialTransportChoice, TRANSPORT_CHOICES, TRANSPORT_STORAGE_KEY, type TransportChoice } from '../media/transport';
import { CONSOLE_CSS } from './styles';
import { useStream } from './useStream';

interface Transfer { key: string; name: string; kind: 'apk' | 'file'; percent: number; status: 'active' | 'success' | 'exception'; detail?: string }

const DOWNLOAD_DIR = '/sdcard/Download';

function storedChoice(): string | null {
  try { return localStorage.getItem(TRANSPORT_STORAGE_KEY); } catch { return null; }
}

export function PhoneConsole({ api, device, observer = false }: { api: Api; device: Device; observer?: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const describe = useDescribeError();
  const canvas = useRef<HTMLCanvasElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const [attempt, setAttempt] = useState(0);
  // Auto (WebRTC, else WebSocket) / WebRTC / WebSocket: remembered; ?transport= overrides it.
  const [choice, setChoice] = useState<TransportChoice>(() => initialTransportChoice(window.location.search, storedChoice()));
  const choose = (c: TransportChoice) => {
    setChoice(c);
    try { localStorage.setItem(TRANSPORT_STORAGE_KEY, c); } catch { /* no storage */ }
  };
  const { state, send, takeControl } = useStream(api, device.id, canvas, video, attempt, choice);
  const pointers = useRef(new Map<number, number>());
  const [dragging, setDragging] = useState(false);
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [clipText, setClipText] = useState('');
  const [typeText, setTypeText] = useState('');
  const apps = useAsync(() => (observer ? Promise.resolve({ items: [] }) : api.devices.apps(device.id)), [api, device.id, observer]);
  const canControl = !observer && state.role === 'controller' && state.status === 'playing';

  useEffect(() => {
    if (video.current && state.mediaStream) video.current.srcObject = state.mediaStream;
  }, [state.mediaStream]);

  const elementPoint = (e: React.PointerEvent | React.WheelEvent) => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top, w: r.width, h: r.height };
  };
  const frameSize = () => {
    const v = video.current;
    if (state.mediaStream && v && v.videoWidth > 0) return { width: v.videoWidth, height: v.videoHeight };
    const c = canvas.current;
    return c && c.width > 0 ? { width: c.width, height: c.height } : state.frame;
  };

  const onPointerDown = (e: React.PointerEvent<HTMLElement>) => {
    screen.current?.focus();
    if (!canControl) return;
    const p = elementPoint(e);
    const frame = frameSize();
    if (!frame || !toFrame(p, { width: p.w, height: p.h }, frame)) return; // on the letterbox bars
    const used = new Set(pointers.current.values());
    let id = 0;
    while (used.has(id)) id++;
    if (id > 9) return;
    pointers.current.set(e.pointerId, id);
    e.currentTarget.setPointerCapture(e.pointerId);
    send({ t: 'touch', action: 'down', pointer: id, ...p });
    e.preventDefault();
  };
  const onPointerMove = (e: React.PointerEvent<HTMLElement>) => {
    const id = pointers.current.get(e.pointerId);
    if (id === undefined) return;
    send({ t: 'touch', action: 'move', pointer: id, ...elementPoint(e) });
  };
  const onPointerEnd = (e: React.PointerEvent<HTMLElement>) => {
    const id = pointers.current.get(e.pointerId);
    if (id === undefined) return;
    pointers.current.delete(e.pointerId);
    send({ t: 'touch', action: e.type === 'pointercancel' ? 'cancel' : 'up', pointer: id, ...elementPoint(e) });
  };
  const onWheel = (e: React.WheelEvent<HTMLElement>) => {
    if (!canControl || e.deltaY === 0) return;
    const p = elementPoint(e);
    const frame = frameSize();
    if (!frame || !toFrame(p, { width: p.w, height: p.h }, frame)) return;
    send({ t: 'scroll', ...p, dx: 0, dy: -Math.sign(e.deltaY) * Math.min(4, Math.ceil(Math.abs(e.deltaY) / 100)) });
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!canControl) return;
    const m = keyToInput(e);
    if (!m) return;
    e.preventDefault();
    send(m);
  };
  const onPaste = (e: React.ClipboardEvent) => {
    if (!canControl) return;
    const text = e.clipboardData.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    for (const chunk of textChunks(text)) send({ t: 'text', text: chunk });
  };

  const setTransfer = (key: string, patch: Partial<Transfer>) =>
    setTransfers((list) => list.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const upload = useCallback(async (file: File) => {
    const isApk = file.name.toLowerCase().endsWith('.apk');
    const key = `${Date.now()}-${Math.random()}`;
    const entry: Transfer = { key, name: file.name, kind: isApk ? 'apk' : 'file', percent: 0, status: 'active' };
    setTransfers((list) => [entry, ...list].slice(0, 6));
    const progress = (sent: number, total: number) => setTransfer(key, { percent: total ? Math.min(99, Math.floor((sent / total) * 100)) : 0 });
    try {
      if (isApk) {
        const r = await api.devices.installApk(device.id, file, progress);
        setTransfer(key, { percent: 100, status: 'success', detail: t('console.installed', { pkg: r.package }) });
        message.success(t('console.installed', { pkg: r.label || r.package }));
        apps.reload();
      } else {
        const path = `${DOWNLOAD_DIR}/${file.name.replace(/[/\\]/g, '_')}`;
        await api.devices.pushFile(device.id, path, file, progress);
        setTransfer(key, { percent: 100, status: 'success', detail: path });
        message.success(t('console.uploaded', { path }));
      }
    } catch (err) {
      setTransfer(key, { status: 'exception', detail: describe(err) });
    }
  }, [api, device.id, apps, describe, message, t]);

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (observer) return;
    for (const f of Array.from(e.dataTransfer.files)) void upload(f);
  };

  const screenshot = async () => {
    try {
      const blob = await api.devices.screenshot(device.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${device.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      message.error(describe(err));
    }
  };

  const fullScreen = () => {
    const el = screen.current?.parentElement;
    if (el && !document.fullscreenElement) void el.requestFullscreen?.();
    else void document.exitFullscreen?.();
  };

  const nav = (label: string, icon: React.ReactNode, onClick: () => void, testId: string) => (
    <Tooltip title={label} key={testId}>
      <Button icon={icon} onClick={() => { onClick(); screen.current?.focus(); }} disabled={!canControl} data-testid={testId} aria-label={label} />
    </Tooltip>
  );

  const q = state.quality;
  let overlay: React.ReactNode = null;
  if (state.status === 'unsupported') overlay = <Result status="warning" title={t('console.unsupported')} />;
  else if (state.status === 'failed' || state.status === 'ended') {
    overlay = (
      <Result
        status="info"
        title={state.status === 'failed' ? t('console.failed') : t('console.ended')}
        subTitle={state.status === 'failed' ? describe(state.error) : state.endedReason}
        extra={<Button type="primary" icon={<ReloadOutlined />} onClick={() => setAttempt((n) => n + 1)} data-testid="console-reconnect">{t('console.reconnect')}</Button>}
      />
    );
  } else if (state.status === 'connecting') overlay = <Spin tip={t('console.connecting')}><div style={{ padding: 64 }} /></Spin>;

  return (
    <div className="cp-console" data-testid="phone-console" data-transport={state.kind ?? ''}>
      <style>{CONSOLE_CSS}</style>
      <div className="cp-console-stage">
        <div
          ref={screen}
          className={`cp-console-screen${dragging ? ' cp-console-drop' : ''}`}
          tabIndex={0}
          data-testid="console-screen"
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onDragOver={(e) => { e.preventDefault(); if (!observer) setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          {state.mediaStream
            ? <video ref={video} autoPlay muted playsInline className="cp-console-media" data-testid="console-video" onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerEnd} onPointerCancel={onPointerEnd} onWheel={onWheel} />
            : <canvas ref={canvas} className="cp-console-media" data-testid="console-canvas" onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerEnd} onPointerCancel={onPointerEnd} onWheel={onWheel} />}
          {overlay && <div className="cp-console-overlay">{overlay}</div>}
          {dragging && <div className="cp-console-overlay cp-console-drop-hint">{t('console.dropHint')}</div>}
        </div>
        <Space className="cp-console-nav" wrap>
          {nav(t('console.back'), <ArrowLeftOutlined />, () => send({ t: 'back' }), 'console-back')}
          {nav(t('console.home'), <HomeOutlined />, () => send({ t: 'home' }), 'console-home')}
          {nav(t('console.recents'), <BorderOutlined />, () => send({ t: 'recents' }), 'console-recents')}
          {nav(t('console.rotate'), <RotateRightOutlined />, () => send({ t: 'rotate' }), 'console-rotate')}
          {nav(t('console.volumeDown'), <SoundOutlined style={{ opacity: 0.6 }} />, () => send({ t: 'key', code: KEYCODE.VOLUME_DOWN }), 'console-volume-down')}
          {nav(t('console.volumeUp'), <SoundOutlined />, () => send({ t: 'key', code: KEYCODE.VOLUME_UP }), 'console-volume-up')}
          {nav(t('console.menuKey'), <MenuOutlined />, () => send({ t: 'key', code: 82 }), 'console-menu')}
          <Tooltip title={t('console.screenshot')}><Button icon={<CameraOutlined />} onClick={screenshot} data-testid="console-screenshot" aria-label={t('console.screenshot')} /></Tooltip>
          <Tooltip title={t('console.fullscreen')}><Button icon={<ExpandOutlined />} onClick={fullScreen} data-testid="console-fullscreen" aria-label={t('console.fullscreen')} /></Tooltip>
        </Space>
      </div>
      <div className="cp-console-side">
        <Card size="small" title={t('console.quality')} extra={
          <Segmented size="small" value={choice} onChange={(v) => choose(v as TransportChoice)} data-testid="console-transport-choice"
            options={TRANSPORT_CHOICES.map((c) => ({ value: c, label: t(`console.transportChoice.${c}`) }))} />
        }>
          {state.fallback && state.kind && state.kind !== state.fallback.from && (
            <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="console-fallback"
              message={t('console.fallback', { from: t(`console.transport.${state.fallback.from}`), to: t(`console.transport.${state.kind}`), reason: state.fallback.reason })} />
          )}
          <Descriptions size="small" column={2} data-testid="console-quality">
            <Descriptions.Item label={t('console.fps')}><span data-testid="console-fps">{q.fps.toFixed(0)}</span></Descriptions.Item>
            <Descriptions.Item label={t('console.bitrate')}>{q.kbps >= 1000 ? `${(q.kbps / 1000).toFixed(1)} Mbit/s` : `${q.kbps.toFixed(0)} kbit/s`}</Descriptions.Item>
            <Descriptions.Item label={t('console.latency')}>{q.latencyMs === null ? '—' : `${q.latencyMs} ms`}</Descriptions.Item>
            <Descriptions.Item label={t('console.frames')}><span data-testid="console-frames">{q.framesDecoded}</span></Descriptions.Item>
            <Descriptions.Item label={t('console.resolution')}>{state.frame ? `${state.frame.width}×${state.frame.height}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('console.transport')}><span data-testid="console-transport" style={{ whiteSpace: 'nowrap' }}>{state.kind ? t(`console.transport.${state.kind}`) : '—'}</span></Descriptions.Item>
            {state.kind === 'webrtc' && <Descriptions.Item label={t('console.rtt')}>{state.rttMs === null ? '—' : `${state.rttMs} ms`}</Descriptions.Item>}
          </Descriptions>
          <Space wrap>
            {state.role && <Tag color={state.role === 'controller' && !observer ? 'green' : 'default'} data-testid="console-role">{t(observer ? 'console.role.observer' : `console.role.${state.role}`)}</Tag>}
            {canControl && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('console.keyboardHint')}</Typography.Text>}
            {!observer && state.role === 'viewer' && state.status === 'playing' && (
              <Button size="small" onClick={() => takeControl().catch((err: unknown) => message.error(describe(err)))} data-testid="console-take-control">{t('console.takeControl')}</Button>
            )}
          </Space>
        </Card>
        {!observer && (
          <Card size="small" title={t('console.textAndClipboard')}>
            <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
              <Input value={typeText} onChange={(e) => setTypeText(e.target.value)} maxLength={4000} placeholder={t('console.typePlaceholder')} data-testid="console-type-input"
                onPressEnter={() => { if (canControl && typeText) { for (const chunk of textChunks(typeText)) send({ t: 'text', text: chunk }); setTypeText(''); } }} />
              <Button disabled={!canControl || !typeText} onClick={() => { for (const chunk of textChunks(typeText)) send({ t: 'text', text: chunk }); setTypeText(''); }} data-testid="console-type-send">{t('console.type')}</Button>
            </Space.Compact>
            <Space.Compact style={{ width: '100%' }}>
              <Input value={clipText} onChange={(e) => setClipText(e.target.value)} maxLength={4000} placeholder={t('console.clipboardPlaceholder')} data-testid="console-clip-input" />
              <Button icon={<SendOutlined />} disabled={!canControl || !clipText} onClick={() => { send({ t: 'clipboard', text: clipText }); message.success(t('console.clipboardSent')); }} data-testid="console-clip-send">{t('console.clipboardSend')}</Button>
            </Space.Compact>
            <div style={{ marginTop: 8 }}>
              <Typography.Text type="secondary">{t('console.clipboardFromPhone')}: </Typography.Text>
              {state.clipboard !== null
                ? <Typography.Text copyable={{ text: state.clipboard, icon: <CopyOutlined /> }} data-testid="console-clip-received">{state.clipboard}</Typography.Text>
                : <Typography.Text type="secondary">—</Typography.Text>}
            </div>
          </Card>
        )}
        {!observer && (
          <Card size="small" title={t('console.files')}>
            <Upload multiple showUploadList={false} beforeUpload={(f) => { void upload(f); return false; }}>
              <Button icon={<CloudUploadOutlined />} data-testid="console-upload">{t('console.uploadButton')}</Button>
            </Upload>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>{t('console.filesHint', { dir: DOWNLOAD_DIR })}</Typography.Paragraph>
            {transfers.map((x) => (
              <div key={x.key} data-testid={`transfer-${x.name}`} data-status={x.status}>
                <Typography.Text ellipsis style={{ maxWidth: '100%' }}>{x.kind === 'apk' && x.status === 'active' ? t('console.installing', { name: x.name }) : x.name}</Typography.Text>
                <Progress percent={x.percent} size="small" status={x.status} />
                {x.detail && <Typography.Text type={x.status === 'exception' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>{x.detail}</Typography.Text>}
              </div>
            ))}
          </Card>
        )}
        {!observer && (
          <Card size="small" title={t('console.apps')} extra={<Button size="small" type="link" onClick={apps.reload}>{t('common.refresh')}</Button>}>
            <ErrorAlert error={apps.error} />
            {apps.data && !apps.data.items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.noApps')} /> : (
              <List
                size="small"
                loading={apps.loading && !apps.data}
                dataSource={apps.data?.items ?? []}
                data-testid="console-apps"
                renderItem={(a) => (
                  <List.Item actions={[
                    <Popconfirm key="rm" title={t('console.uninstallConfirm', { pkg: a.package })} okText={t('console.uninstall')} cancelText={t('common.cancel')}
                      onConfirm={async () => { try { await api.devices.uninstall(device.id, a.package); apps.reload(); } catch (err) { message.error(describe(err)); } }}>
                      <Button size="small" type="link" danger>{t('console.uninstall')}</Button>
                    </Popconfirm>,
                  ]}>
                    <Typography.Text code>{a.package}</Typography.Text>
                  </List.Item>
                )}
              />
            )}
          </Card>
        )}
      </div>
    </div>
  );
}
