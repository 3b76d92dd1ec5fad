import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist/admin, served by the gateway at `/admin`. `npm run dev` proxies the API to
// a running `cloudphone up` (CP_API, default http://localhost:30000).
const api = process.env.CP_API ?? 'http://localhost:30000';
export default defineConfig({
  plugins: [react()],
  base: '/admin/',
  build: { outDir: '../dist/admin', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { port: 5173, proxy: { '/api': api, '/ready': api, '/metrics': api } },
});
