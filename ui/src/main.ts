// Entry point: plugins, styles and the transport: Tauri IPC in the desktop app, HTTP + SSE in a
// browser (served by `scicd serve`, or by `npm run dev` proxying /api to one: scripts/ui-dev.sh).
import { createApp } from "vue";
import { createPinia } from "pinia";
import { elementPlus } from "./elementPlus";
import "element-plus/theme-chalk/dark/css-vars.css";
import "./styles/theme.css";
import "./styles/base.css";
import "./styles/typography.css";
import "./styles/table.css";
import "./styles/controls.css";
import "./styles/pipeline.css";
import { appPainted, isDesktop, useHttpTransport } from "./api";
import { HttpClient } from "./api/http/client";
import { DESKTOP_ONLY, ROUTES } from "./api/http/routeTable";
import { installAccessGuard } from "./router/access";
import App from "./App.vue";
import { i18n } from "./i18n";
import router from "./router";

function start(): void {
  if (!isDesktop()) {
    const client = new HttpClient({
      fetch: window.fetch.bind(window),
      storage: window.sessionStorage,
      routes: ROUTES,
      desktopOnly: DESKTOP_ONLY,
    });
    useHttpTransport(client);
  }
  const app = createApp(App);
  app.use(createPinia());
  app.use(router);
  installAccessGuard(router);
  app.use(i18n);
  app.use(elementPlus);
  app.mount("#app");
  if (isDesktop()) {
    requestAnimationFrame(() => requestAnimationFrame(() => void appPainted().catch(() => {})));
  }
}

start();
