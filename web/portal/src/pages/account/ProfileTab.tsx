import { ErrorAlert, formatTime, useAuth, useI18n, type UpdateMeRequest } from '@cloudphone/shared';
import { App, Button, Descriptions, Divider, Form, Input, Tag } from 'antd';
import { useState } from 'react';

export function ProfileTab() {
  const { t, lang } = useI18n();
  const { api, user, setUser } = useAuth();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!user) return null;

  const onFinish = async (v: UpdateMeRequest) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.me.update({ display_name: v.display_name, email: v.email });
      setUser(updated);
      message.success(t('account.profileSaved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" data-testid="profile-details">
        <Descriptions.Item label={t('fields.username')}><span data-testid="profile-username">{user.username}</span></Descriptions.Item>
        <Descriptions.Item label={t('fields.email')}>{user.email}</Descriptions.Item>
        <Descriptions.Item label={t('fields.display_name')}>{user.display_name}</Descriptions.Item>
        <Descriptions.Item label={t('fields.status')}><Tag color={user.status === 'active' ? 'green' : 'red'}>{t(`status.${user.status}`)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('fields.roles')}>{user.roles.map((r) => <Tag key={r}>{r}</Tag>)}</Descriptions.Item>
        <Descriptions.Item label={t('fields.totp')}>{user.totp_enabled ? t('common.enabled') : t('common.disabled')}</Descriptions.Item>
        <Descriptions.Item label={t('fields.id')}>{user.id}</Descriptions.Item>
        <Descriptions.Item label={t('fields.created_at')}>{formatTime(user.created_at, lang)}</Descriptions.Item>
      </Descriptions>
      <Divider orientation="left">{t('account.editProfile')}</Divider>
      <ErrorAlert error={error} style={{ marginBottom: 16 }} />
      <Form<UpdateMeRequest> layout="vertical" style={{ maxWidth: 420 }} initialValues={{ display_name: user.display_name, email: user.email }} onFinish={onFinish}>
        <Form.Item name="display_name" label={t('fields.display_name')} rules={[{ max: 100 }]}>
          <Input data-testid="profile-display-name" />
        </Form.Item>
        <Form.Item name="email" label={t('fields.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="profile-save">{t('common.save')}</Button>
      </Form>
    </>
  );
}
