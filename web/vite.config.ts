import { defineConfig } from 'vitest/config';

// The C++ server (`mittari serve --web-root build/web`) serves the built files at the site
// root, on the same origin as the API. `npm run dev` proxies the API to a local server.
export default defineConfig({
  base: '/',
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    cssCodeSplit: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': process.env.MITTARI_API ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
