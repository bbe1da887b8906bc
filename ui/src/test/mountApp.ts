// Mounting helper for component tests: Element Plus (as main.ts installs it), i18n (English) and a fresh Pinia.
import { mount, type ComponentMountingOptions } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import type { Component } from "vue";
import { elementPlus } from "@/elementPlus";
import { i18n } from "@/i18n";

export function mountApp<C extends Component>(
  component: C,
  options: ComponentMountingOptions<C> = {},
) {
  const pinia = createPinia();
  setActivePinia(pinia);
  i18n.global.locale.value = "en";
  return mount(component, {
    ...options,
    global: {
      ...(options.global ?? {}),
      plugins: [elementPlus, i18n, pinia, ...(options.global?.plugins ?? [])],
    },
  } as ComponentMountingOptions<C>);
}
