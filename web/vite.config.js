// Vite builds the UI into HZ_WEB_OUT (CMake passes build/web); the hashed files under
// assets/ are pre-compressed and embedded in the huizhan binary by CMake.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus components and their CSS are imported where used, not as a whole.
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
  // vue-i18n: the Composition API only (legacy: false), no <i18n-t> or v-t, no devtools;
  // its flags let the build drop the rest.
  define: {
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_OPTIONS_API__: false,
  },
  base: '/',
  build: {
    outDir: process.env.HZ_WEB_OUT || 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The CSP allows no inline script: no module-preload polyfill, no inlined assets
    // that could turn into data: scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})
