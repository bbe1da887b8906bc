import http from "node:http";
import {
  byTestId,
  invoke,
  isChinese,
  isEnglish,
  navigate,
  navLabel,
  toggleLanguage,
  useLanguage,
  waitForApp,
} from "../support/app.js";

/** Whether a Docker Engine answers on the local socket, asked directly (GET /_ping). */
function dockerAnswers() {
  return new Promise((resolve) => {
    const req = http.get(
      { socketPath: "/var/run/docker.sock", path: "/_ping", timeout: 5000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("error", () => resolve(false));
    req.on("timeout", () => (req.destroy(), resolve(false)));
  });
}

async function settledState(id) {
  const el = await byTestId(id);
  await el.waitForDisplayed({ timeoutMsg: `the top bar shows no ${id}` });
  await browser.waitUntil(async () => (await el.getAttribute("data-state")) !== "checking", {
    timeout: 30000,
    timeoutMsg: `${id} stayed "checking" for 30 s`,
  });
  return el.getAttribute("data-state");
}

describe("dashboard and navigation", () => {
  before(waitForApp);

  it("renders the dashboard (the welcome state while there is nothing yet)", async () => {
    await navigate("nav-dashboard");
    await browser.waitUntil(
      async () =>
        (await byTestId("dashboard-counts").isDisplayed()) ||
        (await byTestId("dashboard-empty").isDisplayed()),
      {
        timeoutMsg:
          "the dashboard shows neither dashboard-counts nor its empty state dashboard-empty",
      },
    );
  });

  it("navigates to templates, runs, settings and back to the dashboard", async () => {
    await navigate("nav-templates", "templates-new");
    await navigate("nav-runs", "runs-table");
    await navigate("nav-settings");
    await browser.waitUntil(async () => !(await byTestId("runs-table").isDisplayed()), {
      timeoutMsg: "the runs table is still shown after clicking nav-settings",
    });
    await navigate("nav-dashboard");
    await expect(byTestId("runs-table")).not.toBeDisplayed();
  });

  it("switches the language to English and back to 中文", async () => {
    const english = await useLanguage("en");
    expect(isEnglish(english)).toBe(true);

    await toggleLanguage();
    await browser.waitUntil(async () => isChinese(await navLabel()), {
      timeout: 5000,
      timeoutMsg: `nav-templates should read in Chinese after lang-switch (still "${english}")`,
    });
    const chinese = await navLabel();
    expect(chinese).not.toBe(english);

    await toggleLanguage();
    await browser.waitUntil(async () => (await navLabel()) === english, {
      timeout: 5000,
      timeoutMsg: `nav-templates should read "${english}" again after switching back`,
    });
  });

  it("shows in the top bar whether Docker and the webhook server are up, and why on hover", async () => {
    await useLanguage("en");
    expect(await settledState("health-docker")).toBe((await dockerAnswers()) ? "ok" : "down");
    const server = await invoke("server_status");
    expect(await settledState("health-server")).toBe(server.listening ? "ok" : "down");
    await byTestId("health-server").moveTo();
    const tip = await $(".el-popper.is-dark");
    await tip.waitForDisplayed({ timeoutMsg: "hovering health-server shows no tooltip" });
    expect(await tip.getText()).toContain(server.listening ? server.address : server.error);
    await byTestId("health-docker").click();
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith("#/endpoints"), {
      timeoutMsg: "a click on health-docker did not open the Endpoints page",
    });
  });
});
