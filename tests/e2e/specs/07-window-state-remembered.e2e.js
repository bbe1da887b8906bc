// Issue 6: the window remembers its size and position. The app is quit the way the tray's Quit
// does it, then started again in a new session; the window comes back where it was left.
import { invoke, waitForApp } from "../support/app.js";
import { appBinary, sessionAppPids, waitForExit } from "../support/appProcesses.js";

describe("the window across a restart", () => {
  it("comes back with the size and position it had when the app quit", async () => {
    await waitForApp();
    await browser.setWindowRect(40, 30, 1000, 700);
    await browser.waitUntil(async () => (await browser.getWindowRect()).width === 1000, {
      timeoutMsg: "the window did not take the new size",
    });
    // Quitting ends this WebDriver session with the app: the error is expected.
    const running = sessionAppPids(appBinary);
    await invoke("tray_menu_click", { id: "quit" }).catch(() => {});
    // The next launch would hand over to an instance that is still quitting: wait for it to end.
    expect(await waitForExit(running, 20000)).toEqual([]);
    await browser.reloadSession();
    await waitForApp();
    const rect = await browser.getWindowRect();
    expect([rect.x, rect.y, rect.width, rect.height]).toEqual([40, 30, 1000, 700]);
  });
});
