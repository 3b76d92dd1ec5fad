import { useAuth, useI18n } from '@cloudphone/shared';
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Shell } from './Shell';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AppsPage } from './pages/AppsPage';
import { AuditPage } from './pages/AuditPage';
import { DeviceConsolePage } from './pages/DeviceConsolePage';
import { DevicesPage } from './pages/DevicesPage';
import { LoginPage } from './pages/LoginPage';
import { RolesPage } from './pages/RolesPage';
import { SnapshotsPage } from './pages/SnapshotsPage';
import { SystemPage } from './pages/SystemPage';
import { TemplatesPage } from './pages/TemplatesPage';
import { UsersPage } from './pages/UsersPage';

// The dashboard brings ECharts: loaded when first opened, not with the console.
const DashboardPage = lazy(() => import('./pages/DashboardPage').then((m) => ({ default: m.DashboardPage })));

function RequireAuth({ children }: { children: JSX.Element }) {
  const { status } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (status === 'loading') {
    return <div className="cp-auth-page"><Spin tip={t('common.loading')}><div style={{ padding: 48 }} /></Spin></div>;
  }
  if (status === 'signedOut') return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth><Shell /></RequireAuth>}>
        <Route path="/" element={<Navigate to="/users" replace />} />
        <Route path="/dashboard" element={<Suspense fallback={<Spin />}><DashboardPage /></Suspense>} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/devices" element={<DevicesPage />} />
        <Route path="/devices/:id/console" element={<DeviceConsolePage />} />
        <Route path="/templates" element={<TemplatesPage />} />
        <Route path="/snapshots" element={<SnapshotsPage />} />
        <Route path="/apps" element={<AppsPage />} />
        <Route path="/roles" element={<RolesPage />} />
        <Route path="/api-keys" element={<ApiKeysPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/system" element={<SystemPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
