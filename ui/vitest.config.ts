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
    },
  }),
);
