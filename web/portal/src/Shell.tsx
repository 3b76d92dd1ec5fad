import { AppstoreOutlined, LogoutOutlined, MobileOutlined, UserOutlined } from '@ant-design/icons';
import { PrefsSwitch, useAuth, useI18n } from '@cloudphone/shared';
import { Avatar, Dropdown, Layout, Menu, Space, theme, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';

export function Shell() {
  const { t } = useI18n();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const selected = location.pathname.startsWith('/account') ? 'account' : location.pathname.startsWith('/apps') ? 'apps' : 'phones';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}`, paddingInline: 24 }}>
        <div className="cp-brand"><span className="cp-brand-mark" />{t('app.portalName')}</div>
        <Menu
          mode="horizontal"
          selectedKeys={[selected]}
          style={{ flex: 1, minWidth: 0, borderBottom: 'none', background: 'transparent' }}
          onClick={(e) => navigate(`/${e.key}`)}
          items={[
            { key: 'phones', icon: <MobileOutlined />, label: <span data-testid="nav-phones">{t('nav.phones')}</span> },
            { key: 'apps', icon: <AppstoreOutlined />, label: <span data-testid="nav-apps">{t('nav.apps')}</span> },
            { key: 'account', icon: <UserOutlined />, label: t('nav.account') },
          ]}
        />
        <PrefsSwitch />
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'account', icon: <UserOutlined />, label: t('nav.account') },
              { type: 'divider' },
              { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: false },
              { key: 'logoutAll', icon: <LogoutOutlined />, label: t('auth.logoutEverywhere'), danger: true },
            ],
            onClick: async ({ key }) => {
              if (key === 'account') navigate('/account');
              if (key === 'logout' || key === 'logoutAll') {
                await logout(key === 'logoutAll');
                navigate('/login', { replace: true });
              }
            },
          }}
        >
          <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
            <Avatar size="small" icon={<UserOutlined />} />
            <Typography.Text data-testid="current-user">{user?.display_name || user?.username}</Typography.Text>
          </Space>
        </Dropdown>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
