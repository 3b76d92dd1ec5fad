import { ErrorAlert, useAuth, useI18n, type TotpSetup } from '@cloudphone/shared';
import { Alert, App, Button, Divider, Form, Input, QRCode, Space, Typography } from 'antd';
import { useState } from 'react';

interface PasswordForm { old_password: string; new_password: string; confirm: string }

export function SecurityTab() {
  const { t } = useI18n();
  const { api, user, reloadUser } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const [pwError, setPwError] = useState<unknown>(null);
  const [pwBusy, setPwBusy] = useState(false);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [totpError, setTotpError] = useState<unknown>(null);
  const [totpBusy, setTotpBusy] = useState(false);

  const changePassword = async (v: PasswordForm) => {
    setPwBusy(true);
    setPwError(null);
    try {
      await api.me.changePassword({ old_password: v.old_password, new_password: v.new_password });
      form.resetFields();
      message.success(t('account.passwordChanged'));
    } catch (e) {
      setPwError(e);
    } finally {
      setPwBusy(false);
    }
  };

  const startTotp = async () => {
    setTotpBusy(true);
    setTotpError(null);
    try {
      setSetup(await api.auth.totpSetup());
    } catch (e) {
      setTotpError(e);
    } finally {
      setTotpBusy(false);
    }
  };

  const enableTotp = async ({ code }: { code: string }) => {
    setTotpBusy(true);
    setTotpError(null);
    try {
      await api.auth.totpEnable({ code });
      setSetup(null);
      await reloadUser();
      message.success(t('account.totpEnabled'));
    } catch (e) {
      setTotpError(e);
    } finally {
      setTotpBusy(false);
    }
  };

  return (
    <>
      <Divider orientation="left">{t('account.changePassword')}</Divider>
      <ErrorAlert error={pwError} style={{ marginBottom: 16 }} />
      <Form<PasswordForm> form={form} layout="vertical" style={{ maxWidth: 420 }} onFinish={changePassword} requiredMark={false}>
        <Form.Item name="old_password" label={t('fields.old_password')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="new_password" label={t('fields.new_password')} extra={t('validation.passwordHint')} rules={[{ required: true, min: 10, message: t('validation.passwordHint') }]}>
          <Input.Password autoComplete="new-password" />
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
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={pwBusy}>{t('account.changePassword')}</Button>
      </Form>

      <Divider orientation="left">{t('account.totp')}</Divider>
      <ErrorAlert error={totpError} style={{ marginBottom: 16 }} />
      {user?.totp_enabled ? (
        <Alert type="success" showIcon message={t('account.totpOn')} />
      ) : setup ? (
        <Space direction="vertical" size="middle">
          <Typography.Text>{t('account.totpScan')}</Typography.Text>
          <QRCode value={setup.otpauth_uri} />
          <Typography.Text>{t('account.totpSecret')} <Typography.Text code copyable>{setup.secret}</Typography.Text></Typography.Text>
          <Form<{ code: string }> layout="inline" onFinish={enableTotp}>
            <Form.Item name="code" rules={[{ required: true, len: 6, message: t('validation.totp') }]}>
              <Input placeholder={t('fields.totp_code')} maxLength={6} inputMode="numeric" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={totpBusy}>{t('account.totpEnable')}</Button>
          </Form>
        </Space>
      ) : (
        <Space direction="vertical">
          <Typography.Text type="secondary">{t('account.totpOff')}</Typography.Text>
          <Button onClick={startTotp} loading={totpBusy}>{t('account.totpSetup')}</Button>
        </Space>
      )}
    </>
  );
}
