/**
 * Vite builds the org-chart page from this folder into ./dist, which the service serves at `/`
 * (src/web/serve-static.ts). `npm run build:web` runs it; `npx vite --config src/web/vite.config.ts`
 * serves the page with hot reload against an orgtime on :4000.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small script: no preload polyfill (an inline script would need a CSP exception).
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: { proxy: { '/graphql': { target: 'http://localhost:4000', changeOrigin: true } } },
});
