/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// `npm run dev` proxies the API to a `tandem serve` on port 8080 (TANDEM_API to change it).
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  server: {
    proxy: { '/api': process.env.TANDEM_API ?? 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
