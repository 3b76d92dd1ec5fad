import { ApiError, ErrorAlert, PrefsSwitch, useAuth, useI18n, type RegisterRequest } from '@cloudphone/shared';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';

interface RegisterForm extends RegisterRequest { confirm: string }

export function RegisterPage() {
  const { t } = useI18n();
  const { api } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<RegisterForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ confirm: _confirm, ...v }: RegisterForm) => {
    setBusy(true);
    setError(null);
    try {
      const user = await api.auth.register({ ...v, display_name: v.display_name || undefined });
      navigate('/login', { state: { registered: user.username } });
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.field && form.getFieldInstance(e.field as keyof RegisterForm)) {
        form.setFields([{ name: e.field as keyof RegisterForm, errors: [' '] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cp-auth-page">
      <div className="cp-auth-prefs"><PrefsSwitch /></div>
      <Card className="cp-auth-card" data-testid="register-card">
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div className="cp-brand"><span className="cp-brand-mark" />{t('app.portalName')}</div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('auth.registerTitle')}</Typography.Title>
          <ErrorAlert error={error} />
          <Form<RegisterForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
            <Form.Item name="email" label={t('fields.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
              <Input autoComplete="email" data-testid="reg-email" />
            </Form.Item>
            <Form.Item name="username" label={t('fields.username')} rules={[{ required: true, min: 3, max: 32, message: t('validation.username') }]}>
              <Input autoComplete="username" data-testid="reg-username" />
            </Form.Item>
            <Form.Item name="display_name" label={t('fields.display_name')}>
              <Input maxLength={100} data-testid="reg-display-name" />
            </Form.Item>
            <Form.Item name="password" label={t('fields.password')} extra={t('validation.passwordHint')} rules={[{ required: true, min: 10, message: t('validation.passwordHint') }]}>
              <Input.Password autoComplete="new-password" data-testid="reg-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('fields.confirm_password')}
              dependencies={['password']}
              rules={[
                { required: true, message: t('validation.required') },
                ({ getFieldValue }) => ({
                  validator: (_, v) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="reg-confirm" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="reg-submit">{t('auth.register')}</Button>
          </Form>
          <Typography.Text type="secondary">
            {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
          </Typography.Text>
        </Space>
      </Card>
    </div>
  );
}
