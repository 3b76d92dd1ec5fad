import { useAuth, useI18n } from '@cloudphone/shared';
import { Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Shell } from './Shell';
import { AuditPage } from './pages/AuditPage';
import { DevicesPage } from './pages/DevicesPage';
import { LoginPage } from './pages/LoginPage';
import { RolesPage } from './pages/RolesPage';
import { SystemPage } from './pages/SystemPage';
import { UsersPage } from './pages/UsersPage';

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
        <Route path="/users" element={<UsersPage />} />
        <Route path="/devices" element={<DevicesPage />} />
        <Route path="/roles" element={<RolesPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/system" element={<SystemPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
