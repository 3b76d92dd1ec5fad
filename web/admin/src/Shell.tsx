import { AppstoreOutlined, AuditOutlined, BarChartOutlined, CameraOutlined, DashboardOutlined, KeyOutlined, ProfileOutlined, MobileOutlined, LogoutOutlined, SafetyOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { ProLayout } from '@ant-design/pro-components';
import { PrefsSwitch, useAuth, useI18n, useThemeMode } from '@cloudphone/shared';
import { Dropdown, Space } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';

export function Shell() {
  const { t } = useI18n();
  const { user, logout, can } = useAuth();
  const { mode } = useThemeMode();
  const navigate = useNavigate();
  const location = useLocation();
  const routes = [
    { path: '/dashboard', name: t('nav.dashboard'), icon: <BarChartOutlined />, perm: 'device:read' },
    { path: '/users', name: t('nav.users'), icon: <TeamOutlined />, perm: 'user:read' },
    { path: '/devices', name: t('nav.devices'), icon: <MobileOutlined />, perm: 'device:read' },
    { path: '/templates', name: t('nav.templates'), icon: <ProfileOutlined />, perm: 'device:read' },
    { path: '/snapshots', name: t('nav.snapshots'), icon: <CameraOutlined />, perm: 'device:read' },
    { path: '/apps', name: t('nav.apps'), icon: <AppstoreOutlined />, perm: 'app:read' },
    { path: '/roles', name: t('nav.roles'), icon: <SafetyOutlined />, perm: 'role:read' },
    { path: '/api-keys', name: t('nav.apiKeys'), icon: <KeyOutlined />, perm: 'api_key:admin' },
    { path: '/audit', name: t('nav.audit'), icon: <AuditOutlined />, perm: 'audit:read' },
    { path: '/system', name: t('nav.system'), icon: <DashboardOutlined />, perm: 'system:metrics' },
  ].filter((r) => can(r.perm));
  return (
    <ProLayout
      title={t('app.adminName')}
      logo={<span className="cp-brand-mark" />}
      layout="mix"
      navTheme={mode === 'dark' ? 'realDark' : 'light'}
      location={{ pathname: location.pathname }}
      route={{ path: '/', routes }}
      menuItemRender={(item, dom) => <a onClick={() => item.path && navigate(item.path)} data-testid={`nav-${item.path?.slice(1)}`}>{dom}</a>}
      onMenuHeaderClick={() => navigate('/users')}
      actionsRender={() => [<PrefsSwitch key="prefs" />]}
      avatarProps={{
        icon: <UserOutlined />,
        size: 'small',
        title: <span data-testid="current-user">{user?.username}</span>,
        render: (_, dom) => (
          <Dropdown
            menu={{
              items: [
                { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout') },
                { key: 'logoutAll', icon: <LogoutOutlined />, label: t('auth.logoutEverywhere'), danger: true },
              ],
              onClick: async ({ key }) => {
                await logout(key === 'logoutAll');
                navigate('/login', { replace: true });
              },
            }}
          >
            <Space data-testid="user-menu">{dom}</Space>
          </Dropdown>
        ),
      }}
    >
      <Outlet />
    </ProLayout>
  );
}
