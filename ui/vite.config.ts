import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const mock = (file: string) => fileURLToPath(new URL(`./src/mock/${file}`, import.meta.url));

// Built to static files that Tauri embeds; there is no dev server at runtime.
// `vite --mode mock` (npm run dev:mock) swaps the Tauri API for a stand-in
// backend to work on the layout in a browser; no other mode sees it.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  resolve: {
    alias:
      mode === 'mock'
        ? [
            { find: /^@tauri-apps\/api\/core$/, replacement: mock('tauri-core.ts') },
            { find: /^@tauri-apps\/api\/event$/, replacement: mock('tauri-event.ts') },
          ]
        : [],
  },
}));
