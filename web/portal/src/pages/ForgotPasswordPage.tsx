import { ErrorAlert, PrefsSwitch, useAuth, useI18n } from '@cloudphone/shared';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';

interface ForgotForm { email: string }

/** Asks for the account's email; the server answers the same whether or not it exists. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const { api } = useAuth();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onFinish = async (v: ForgotForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.auth.forgotPassword({ email: v.email.trim() });
      setSentTo(v.email.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cp-auth-page">
      <div className="cp-auth-prefs"><PrefsSwitch /></div>
      <Card className="cp-auth-card" data-testid="forgot-card">
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div className="cp-brand"><span className="cp-brand-mark" />{t('app.portalName')}</div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('auth.forgotTitle')}</Typography.Title>
          {sentTo ? (
            <Alert type="success" showIcon data-testid="forgot-sent" message={t('auth.forgotSentTitle')}
              description={t('auth.forgotSent', { email: sentTo })} />
          ) : (
            <>
              <Typography.Text type="secondary">{t('auth.forgotHint')}</Typography.Text>
              <ErrorAlert error={error} />
              <Form<ForgotForm> layout="vertical" onFinish={onFinish} requiredMark={false}>
                <Form.Item name="email" label={t('fields.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
                  <Input autoComplete="email" autoFocus data-testid="forgot-email" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy} data-testid="forgot-submit">{t('auth.forgotSubmit')}</Button>
              </Form>
            </>
          )}
          <Typography.Text type="secondary">
            <Link to="/login" data-testid="forgot-back">{t('auth.backToLogin')}</Link>
          </Typography.Text>
        </Space>
      </Card>
    </div>
  );
}
