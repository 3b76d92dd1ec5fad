import { ApiError, ErrorAlert, PrefsSwitch, useAuth, useI18n } from '@cloudphone/shared';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

interface ResetForm { new_password: string; confirm: string }

/** The page the reset mail links to (?token=…): a new password twice, then log in. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const { api } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [form] = Form.useForm<ResetForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  // A bad, used or expired token cannot be fixed on this page: offer a new request instead.
  const tokenRejected = error instanceof ApiError && error.field === 'token';

  const onFinish = async (v: ResetForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.auth.resetPassword({ token, new_password: v.new_password });
      setDone(true);
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.field === 'new_password') form.setFields([{ name: 'new_password', errors: [' '] }]);
    } finally {
      setBusy(false);
    }
  };

  let body: JSX.Element;
  if (done) {
    body = (
      <>
        <Alert type="success" showIcon data-testid="reset-done" message={t('auth.resetDone')} />
        <Button type="primary" block onClick={() => navigate('/login', { replace: true })} data-testid="reset-login">{t('auth.login')}</Button>
      </>
    );
  } else if (!token) {
    body = <Alert type="error" showIcon data-testid="reset-no-token" message={t('auth.resetNoToken')} />;
  } else {
    body = (
      <>
        <ErrorAlert error={error} />
        <Form<ResetForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} disabled={tokenRejected}>
          <Form.Item name="new_password" label={t('fields.new_password')} extra={t('validation.passwordHint')}
            rules={[{ required: true, min: 10, message: t('validation.passwordHint') }]}>
            <Input.Password autoComplete="new-password" autoFocus data-testid="reset-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('fields.confirm_password')}
            dependencies={['new_password']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator: (_, v) => (!v || v === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="reset-confirm" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="reset-submit">{t('auth.resetSubmit')}</Button>
        </Form>
      </>
    );
  }

  return (
    <div className="cp-auth-page">
      <div className="cp-auth-prefs"><PrefsSwitch /></div>
      <Card className="cp-auth-card" data-testid="reset-card">
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div className="cp-brand"><span className="cp-brand-mark" />{t('app.portalName')}</div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('auth.resetTitle')}</Typography.Title>
          {body}
          {!done && (
            <Typography.Text type="secondary">
              {(tokenRejected || !token) && <><Link to="/forgot-password" data-testid="reset-again">{t('auth.resetRequestAgain')}</Link>{' · '}</>}
              <Link to="/login">{t('auth.backToLogin')}</Link>
            </Typography.Text>
          )}
        </Space>
      </Card>
    </div>
  );
}
