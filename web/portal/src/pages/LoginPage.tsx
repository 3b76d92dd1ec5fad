import { ApiError, ErrorAlert, PrefsSwitch, useAuth, useI18n } from '@cloudphone/shared';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';

interface LoginForm { login: string; password: string; totp_code?: string }

export function LoginPage() {
  const { t } = useI18n();
  const { login, status, endedReason } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { from?: string; registered?: string };
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [needTotp, setNeedTotp] = useState(false);

  if (status === 'signedIn') return <Navigate to={state.from ?? '/phones'} replace />;

  const onFinish = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.login.trim(), v.password, v.totp_code);
      navigate(state.from ?? '/phones', { replace: true });
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
          <div className="cp-brand"><span className="cp-brand-mark" />{t('app.portalName')}</div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('auth.loginTitle')}</Typography.Title>
          {state.registered && <Alert type="success" showIcon message={t('auth.registered', { username: state.registered })} />}
          {endedReason && <Alert type="warning" showIcon message={t(`auth.ended.${endedReason}`)} />}
          <ErrorAlert error={error} />
          <Form<LoginForm> layout="vertical" onFinish={onFinish} initialValues={{ login: state.registered ?? '' }} requiredMark={false}>
            <Form.Item name="login" label={t('fields.login')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input autoComplete="username" autoFocus data-testid="login-name" />
            </Form.Item>
            <Form.Item name="password" label={t('fields.password')} rules={[{ required: true, message: t('validation.required') }]}
              extra={<Link to="/forgot-password" data-testid="login-forgot">{t('auth.forgotLink')}</Link>}>
              <Input.Password autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            {needTotp && (
              <Form.Item name="totp_code" label={t('fields.totp_code')} rules={[{ required: true, len: 6, message: t('validation.totp') }]}>
                <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('auth.login')}</Button>
          </Form>
          <Typography.Text type="secondary">
            {t('auth.noAccount')} <Link to="/register">{t('auth.register')}</Link>
          </Typography.Text>
        </Space>
      </Card>
    </div>
  );
}
