import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist/portal, served by the gateway at `/`. `npm run dev` proxies the API to a
// running `cloudphone up` (CP_API, default http://localhost:30000).
const api = process.env.CP_API ?? 'http://localhost:30000';
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: '../dist/portal', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { port: 5174, proxy: { '/api': api, '/ready': api, '/metrics': api } },
});
