import {
  byTestId,
  isChinese,
  isEnglish,
  navigate,
  navLabel,
  toggleLanguage,
  useLanguage,
  waitForApp,
} from "../support/app.js";

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
});
