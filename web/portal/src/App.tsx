import { useAuth, useI18n } from '@cloudphone/shared';
import { Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Shell } from './Shell';
import { AccountPage } from './pages/AccountPage';
import { ConsolePage } from './pages/ConsolePage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { PhonesPage } from './pages/PhonesPage';
import { MarketPage } from './pages/market/MarketPage';
import { RegisterPage } from './pages/RegisterPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';

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
      <Route path="/register" element={<RegisterPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route element={<RequireAuth><Shell /></RequireAuth>}>
        <Route path="/" element={<Navigate to="/phones" replace />} />
        <Route path="/phones" element={<PhonesPage />} />
        <Route path="/phones/:id/console" element={<ConsolePage />} />
        <Route path="/apps" element={<MarketPage />} />
        <Route path="/apps/:tab" element={<MarketPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/account/:tab" element={<AccountPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
