import { AppProviders, AuthProvider, createApi } from '@cloudphone/shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import './styles.css';

// The admin console keeps its own session, apart from the portal's on the same origin.
const api = createApi('admin');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <AuthProvider api={api}>
        <BrowserRouter basename="/admin">
          <App />
        </BrowserRouter>
      </AuthProvider>
    </AppProviders>
  </StrictMode>,
);
