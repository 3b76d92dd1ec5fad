import { AppProviders, AuthProvider, createApi } from '@cloudphone/shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import './styles.css';

const api = createApi('portal');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders>
      <AuthProvider api={api}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </AuthProvider>
    </AppProviders>
  </StrictMode>,
);
