import { ApiError, decodeClaims, ErrorAlert, hasPermission, PrefsSwitch, useAuth, useI18n } from '@cloudphone/shared';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';

interface LoginForm { login: string; password: string; totp_code?: string }

// Any of these makes an account an operator of the console.
const ADMIN_PERMS = ['user:read', 'role:read', 'audit:read', 'system:metrics'];

export function LoginPage() {
  const { t } = useI18n();
  const { api, login, logout, status, endedReason } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/users';
  const [error, setError] = useState<unknown>(null);
  const [notAdmin, setNotAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [needTotp, setNeedTotp] = useState(false);

  if (status === 'signedIn' && !busy) return <Navigate to={from} replace />;

  const onFinish = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    setNotAdmin(false);
    try {
      await login(v.login.trim(), v.password, v.totp_code);
      const perms = decodeClaims(api.client.tokens.get()?.accessToken)?.perms;
      if (!ADMIN_PERMS.some((p) => hasPermission(perms, p))) {
        await logout();
        setNotAdmin(true);
        return;
      }
      navigate(from, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'totp_required' || e.code === 'invalid_totp')) setNeedTotp(true);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cp-auth-page">
      <div className="cp-auth-prefs"><PrefsSwitch /></div>
      <Card className="cp-auth-card" data-testid="login-card">
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div className="cp-brand"><span className="cp-brand-mark" />{t('app.adminName')}</div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('auth.adminLoginTitle')}</Typography.Title>
          {endedReason && <Alert type="warning" showIcon message={t(`auth.ended.${endedReason}`)} />}
          {notAdmin && <Alert type="error" showIcon role="alert" message={t('auth.notAdmin')} />}
          <ErrorAlert error={error} />
          <Form<LoginForm> layout="vertical" onFinish={onFinish} requiredMark={false}>
            <Form.Item name="login" label={t('fields.login')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input autoComplete="username" autoFocus data-testid="login-name" />
            </Form.Item>
            <Form.Item name="password" label={t('fields.password')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input.Password autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            {needTotp && (
              <Form.Item name="totp_code" label={t('fields.totp_code')} rules={[{ required: true, len: 6, message: t('validation.totp') }]}>
                <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('auth.login')}</Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
