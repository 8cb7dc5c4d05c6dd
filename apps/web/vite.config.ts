import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

// In development the SPA talks to a server started with `npm start` (https://localhost:8007).
const target = process.env.PBS_DEV_TARGET ?? 'https://localhost:8007';

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@pbs/source', ...defaultClientConditions] },
  server: {
    proxy: {
      '/trpc': { target, secure: false, changeOrigin: true },
      '/api2': { target, secure: false, changeOrigin: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
});
