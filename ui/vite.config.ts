// Vite config of the simple-cicd front end. The dev server port is the one tauri.conf.json's devUrl
// points at, so it must not drift (strictPort). Production output goes to dist/, which Tauri embeds
// and `scicd serve` serves. In a browser, the dev server hands /api to a running `scicd serve`
// (SCICD_API, default http://127.0.0.1:8750), so the browser UI can be developed with hot reload.
import { fileURLToPath, URL } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": process.env.SCICD_API ?? "http://127.0.0.1:8750" },
  },
  preview: { port: 5173, strictPort: true },
  envPrefix: ["VITE_", "TAURI_ENV_*"],
  build: {
    target: "es2021",
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
});
