import {
  byTestId,
  chooseOption,
  importTemplate,
  invoke,
  listRuns,
  navigate,
  testid,
  useLanguage,
  waitForApp,
} from "../support/app.js";

// Reuses the runs of specs 02 and 03; makes its own through the backend when run on its own.
const HELLO = `kind: shell
name: e2e-hello
description: greets
params:
  - name: WHO
    type: string
    default: world
    required: false
script: |
  echo "hello $WHO"
`;
const LONG = `kind: shell
name: e2e-long
description: sleeps
params: []
script: |
  sleep 60
`;

const STATUS_LABELS = {
  succeeded: /^(succeeded|success(ful)?|成功|已成功)$/i,
  cancelled: /^(cancell?ed|已取消|取消)$/i,
};

async function waitUntilSettled(id) {
  await browser.waitUntil(async () => (await invoke("run_get", { id })).finishedAt !== null, {
    timeout: 30000,
    timeoutMsg: `run ${id} did not finish`,
  });
}

async function ensureRun(template, status) {
  const existing = (await listRuns({ template, status }))[0];
  if (existing) return existing;
  if (template === "e2e-hello") await importTemplate(HELLO);
  else await importTemplate(LONG);
  const run = await invoke("run_start", { template, params: {}, trigger: "e2e" });
  if (status === "cancelled") await invoke("run_cancel", { id: run.id });
  await waitUntilSettled(run.id);
  return invoke("run_get", { id: run.id });
}

/** ids of the runs-row-<id> rows currently displayed */
async function shownRowIds() {
  const ids = new Set();
  for (const row of await $$('[data-testid^="runs-row-"]')) {
    if (await row.isDisplayed())
      ids.add(Number((await row.getAttribute("data-testid")).slice("runs-row-".length)));
  }
  return ids;
}

describe("the runs page", () => {
  let succeeded;
  let cancelled;

  before(async () => {
    await waitForApp();
    await useLanguage("en");
    succeeded = await ensureRun("e2e-hello", "succeeded");
    cancelled = await ensureRun("e2e-long", "cancelled");
    expect(succeeded.status).toBe("succeeded");
    expect(cancelled.status).toBe("cancelled");
  });

  it("lists both runs", async () => {
    await navigate("nav-runs", "runs-table");
    await expect($(testid(`runs-row-${succeeded.id}`))).toBeDisplayed({
      message: `runs-row-${succeeded.id} (the succeeded e2e-hello run) must be listed`,
    });
    await expect($(testid(`runs-row-${cancelled.id}`))).toBeDisplayed({
      message: `runs-row-${cancelled.id} (the cancelled e2e-long run) must be listed`,
    });
  });

  it("shows the counts and the recent runs on the dashboard", async () => {
    await navigate("nav-dashboard", "dashboard-counts");
    let text = "";
    await browser
      .waitUntil(
        async () => {
          // looked up afresh each time: the panel is re-rendered when the stats refresh
          text = await byTestId("dashboard-recent")
            .getProperty("textContent")
            .catch((e) => `(${e.message})`);
          return text.includes("e2e-hello") && text.includes("e2e-long");
        },
        {
          timeout: 10000,
          timeoutMsg: "dashboard-recent should list the e2e-hello and e2e-long runs",
        },
      )
      .catch((e) => {
        throw new Error(`${e.message}; it shows: ${JSON.stringify(text)}`);
      });
  });

  for (const status of ["cancelled", "succeeded"]) {
    it(`filters by status: ${status}`, async () => {
      const all = await listRuns();
      const wanted = new Set(all.filter((r) => r.status === status).map((r) => r.id));
      await navigate("nav-runs", "runs-table");
      await chooseOption("runs-filter-status", status, STATUS_LABELS[status]);
      await browser.waitUntil(
        async () => {
          const shown = await shownRowIds();
          return shown.size > 0 && [...shown].every((id) => wanted.has(id));
        },
        {
          timeout: 10000,
          timeoutMsg:
            `with runs-filter-status=${status} the table should show only ${status} runs ` +
            `(expected ids ⊆ [${[...wanted]}])`,
        },
      );
      const shown = await shownRowIds();
      const mustShow = status === "cancelled" ? cancelled.id : succeeded.id;
      const mustHide = status === "cancelled" ? succeeded.id : cancelled.id;
      expect(shown.has(mustShow)).toBe(true);
      expect(shown.has(mustHide)).toBe(false);
    });
  }

  it("filters by template", async () => {
    await navigate("nav-runs", "runs-filter-template");
    await chooseOption("runs-filter-status", "", /^(all|全部|所有)/i); // back to all statuses
    const helloIds = new Set((await listRuns({ template: "e2e-hello" })).map((r) => r.id));
    await chooseOption("runs-filter-template", "e2e-hello", /^e2e-hello$/);
    await browser.waitUntil(
      async () => {
        const shown = await shownRowIds();
        return shown.has(succeeded.id) && [...shown].every((id) => helloIds.has(id));
      },
      {
        timeout: 10000,
        timeoutMsg: "runs-filter-template=e2e-hello should show only e2e-hello runs",
      },
    );
  });
});
