import { Card, Tabs } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { useI18n } from '@cloudphone/shared';
import { ApiKeysTab } from './account/ApiKeysTab';
import { ProfileTab } from './account/ProfileTab';
import { QuotaTab } from './account/QuotaTab';
import { SecurityTab } from './account/SecurityTab';

const TABS = ['profile', 'security', 'api-keys', 'quota'] as const;

export function AccountPage() {
  const { t } = useI18n();
  const { tab } = useParams();
  const navigate = useNavigate();
  const active = (TABS as readonly string[]).includes(tab ?? '') ? tab! : 'profile';
  return (
    <Card title={t('account.title')} data-testid="account-page">
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(k === 'profile' ? '/account' : `/account/${k}`)}
        destroyInactiveTabPane
        items={[
          { key: 'profile', label: t('account.tab.profile'), children: <ProfileTab /> },
          { key: 'security', label: t('account.tab.security'), children: <SecurityTab /> },
          { key: 'api-keys', label: t('account.tab.apiKeys'), children: <ApiKeysTab /> },
          { key: 'quota', label: t('account.tab.quota'), children: <QuotaTab /> },
        ]}
      />
    </Card>
  );
}
