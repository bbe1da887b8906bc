// Routes. Hash history: the desktop app serves files from a custom protocol, where a path-based
// URL would not resolve on reload. `area` picks the highlighted sidebar entry; `titleKey` names
// the page in the window title until the page sets a more specific one. In a browser, `public`
// pages (sign-in) need no session and show without the frame; `browserOnly` pages (users, tokens)
// do not exist in the desktop app, where the OS user owns everything (guard: ./access.ts).
import { createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";

declare module "vue-router" {
  interface RouteMeta {
    area?:
      | "dashboard"
      | "templates"
      | "runs"
      | "apps"
      | "repositories"
      | "secrets"
      | "endpoints"
      | "clusters"
      | "audit"
      | "users"
      | "tokens"
      | "registries"
      | "settings";
    titleKey?: string;
    /** Shown without a session and without the sidebar and top bar. */
    public?: boolean;
    /** Only in a browser served by `scicd serve`. */
    browserOnly?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: "/",
    name: "dashboard",
    component: () => import("@/views/DashboardView.vue"),
    meta: { area: "dashboard", titleKey: "dashboard.title" },
  },
  {
    path: "/templates",
    name: "templates",
    component: () => import("@/views/TemplateListView.vue"),
    meta: { area: "templates", titleKey: "templates.title" },
  },
  {
    path: "/templates/new",
    name: "template-new",
    component: () => import("@/views/TemplateEditorByKind.vue"),
    meta: { area: "templates", titleKey: "editor.titleNew" },
  },
  {
    path: "/templates/:name",
    name: "template-edit",
    component: () => import("@/views/TemplateEditorByKind.vue"),
    meta: { area: "templates", titleKey: "templates.title" },
  },
  {
    path: "/runs",
    name: "runs",
    component: () => import("@/views/RunListView.vue"),
    meta: { area: "runs", titleKey: "runs.title" },
  },
  {
    path: "/runs/:id(\\d+)",
    name: "run",
    component: () => import("@/views/RunView.vue"),
    meta: { area: "runs", titleKey: "runs.title" },
  },
  {
    path: "/apps",
    name: "apps",
    component: () => import("@/views/AppListView.vue"),
    meta: { area: "apps", titleKey: "apps.title" },
  },
  {
    path: "/apps/:name",
    name: "app",
    component: () => import("@/views/AppView.vue"),
    meta: { area: "apps", titleKey: "apps.title" },
  },
  {
    path: "/repositories",
    name: "repositories",
    component: () => import("@/views/RepositoryListView.vue"),
    meta: { area: "repositories", titleKey: "repos.title" },
  },
  {
    path: "/secrets",
    name: "secrets",
    component: () => import("@/views/SecretsView.vue"),
    meta: { area: "secrets", titleKey: "secrets.title" },
  },
  {
    path: "/endpoints",
    name: "endpoints",
    component: () => import("@/views/EndpointsView.vue"),
    meta: { area: "endpoints", titleKey: "docker.endpoints.title" },
  },
  {
    path: "/clusters",
    name: "clusters",
    component: () => import("@/views/ClustersView.vue"),
    meta: { area: "clusters", titleKey: "clusters.title" },
  },
  {
    path: "/registries",
    name: "registries",
    component: () => import("@/views/RegistriesView.vue"),
    meta: { area: "registries", titleKey: "docker.registries.title" },
  },
  {
    path: "/audit",
    name: "audit",
    component: () => import("@/views/AuditView.vue"),
    meta: { area: "audit", titleKey: "audit.title" },
  },
  {
    path: "/users",
    name: "users",
    component: () => import("@/views/UsersView.vue"),
    meta: { area: "users", titleKey: "access.users.title", browserOnly: true },
  },
  {
    path: "/tokens",
    name: "tokens",
    component: () => import("@/views/TokensView.vue"),
    meta: { area: "tokens", titleKey: "access.tokens.title", browserOnly: true },
  },
  {
    path: "/signin",
    name: "signin",
    component: () => import("@/views/SignInView.vue"),
    meta: { titleKey: "access.signIn.title", public: true, browserOnly: true },
  },
  {
    path: "/settings",
    name: "settings",
    component: () => import("@/views/SettingsView.vue"),
    meta: { area: "settings", titleKey: "settings.title" },
  },
  {
    path: "/:pathMatch(.*)*",
    name: "not-found",
    component: () => import("@/views/NotFoundView.vue"),
    meta: { titleKey: "notFound.title" },
  },
];

const router = createRouter({ history: createWebHashHistory(), routes });

export default router;
