import { defineConfig, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["src/**/*.spec.ts"],
      setupFiles: ["src/test/setup.ts"],
      restoreMocks: true,
      // Mounting the editor pages takes ~1 s alone; on a 2-core machine busy compiling, the
      // default 5 s timed out (a slow machine, not a failing test).
      testTimeout: 30_000,
      // Element Plus's per-component style modules import .css files, which only Vite can load
      // (src/elementPlus.ts imports them): they go through Vite, the rest of the library stays
      // external.
      server: { deps: { inline: [/element-plus\/es\/components\/[^/]+\/style\//] } },
    },
  }),
);
