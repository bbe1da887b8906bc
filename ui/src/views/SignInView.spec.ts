// The sign-in page words the server's refusals by their code (a wrong password, a locked account
// with until when), says why a session ended, and goes to the page asked for once signed in.
import { flushPromises } from "@vue/test-utils";
import { describe, expect, it, vi } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";
import { useAuthStore } from "@/stores/auth";
import { mountApp } from "@/test/mountApp";
import SignInView from "./SignInView.vue";

async function mountSignIn(query = "") {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/signin", name: "signin", component: SignInView },
      { path: "/:any(.*)*", name: "other", component: { template: "<p>page</p>" } },
    ],
  });
  await router.push(`/signin${query}`);
  const wrapper = mountApp(SignInView, { global: { plugins: [router] } });
  const auth = useAuthStore();
  return { wrapper, auth, router };
}

async function submit(wrapper: Awaited<ReturnType<typeof mountSignIn>>["wrapper"]) {
  await wrapper.find('input[name="username"]').setValue("ana");
  await wrapper.find('input[name="password"]').setValue("secret-pw");
  await wrapper.find("form").trigger("submit");
  await flushPromises();
}

const refusal = (code: string, message: string, params: Record<string, string> = {}) => ({
  code,
  message,
  fields: [],
  params,
});

describe("SignInView", () => {
  it("says the name or password is wrong", async () => {
    const { wrapper, auth } = await mountSignIn();
    auth.signIn = vi
      .fn()
      .mockRejectedValue(refusal("unauthenticated", "the user name or the password is wrong"));
    await submit(wrapper);
    expect(wrapper.find('[data-testid="signin-error"]').text()).toContain(
      "The name or the password is wrong.",
    );
  });

  it("says until when a locked account is locked", async () => {
    const { wrapper, auth } = await mountSignIn();
    auth.signIn = vi
      .fn()
      .mockRejectedValue(
        refusal("locked", "locked", { name: "ana", until: "2026-12-04T22:15:00Z" }),
      );
    await submit(wrapper);
    const text = wrapper.find('[data-testid="signin-error"]').text();
    expect(text).toContain("this account is locked until");
    expect(text).toMatch(/2026|22|15/);
  });

  it("asks for both fields before asking the server", async () => {
    const { wrapper, auth } = await mountSignIn();
    auth.signIn = vi.fn();
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(auth.signIn).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="signin-error"]').text()).toContain("Enter your name");
  });

  it("says a session was ended for safety after a refresh-token reuse", async () => {
    const { wrapper, auth } = await mountSignIn();
    auth.ended = { reason: "reused", message: "already used" };
    await flushPromises();
    expect(wrapper.find('[data-testid="signin-notice"]').text()).toContain("ended for safety");
  });

  it("goes to the page asked for once signed in", async () => {
    const { wrapper, auth, router } = await mountSignIn("?next=/runs/4");
    auth.signIn = vi.fn().mockResolvedValue(undefined);
    await submit(wrapper);
    expect(auth.signIn).toHaveBeenCalledWith("ana", "secret-pw");
    expect(router.currentRoute.value.fullPath).toBe("/runs/4");
  });
});
