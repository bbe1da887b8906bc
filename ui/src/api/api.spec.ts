import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { FollowEvent } from "@/bindings/FollowEvent";
import { blankSpec } from "@/lib/templateSpec";
import {
  appAction,
  appGet,
  appLogs,
  appRedeploy,
  appRef,
  appRollback,
  runCancel,
  runFollow,
  runList,
  runLogs,
  runStart,
  templateDelete,
  templateList,
  templateSave,
  toApiError,
} from ".";

type Call = { cmd: string; args: unknown };

describe("api layer over Tauri invoke", () => {
  let calls: Call[];
  let answer: (cmd: string, args: unknown) => unknown;

  beforeEach(() => {
    calls = [];
    answer = () => null;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      return answer(cmd, args);
    });
  });
  afterEach(() => clearMocks());

  it("calls each command by its contract name with its arguments", async () => {
    answer = (cmd) => (cmd === "template_list" ? [] : { id: 7 });
    await templateList();
    await templateSave(blankSpec(), "old-name");
    await templateDelete("hello");
    await runStart("hello", { WHO: "you" });
    await runList({ template: null, status: "failed", limit: 20, offset: 40 });
    await runLogs(7, 101, 5000);
    await runCancel(7);
    expect(calls).toEqual([
      { cmd: "template_list", args: {} },
      { cmd: "template_save", args: { spec: blankSpec(), originalName: "old-name" } },
      { cmd: "template_delete", args: { name: "hello" } },
      {
        cmd: "run_start",
        args: { template: "hello", params: { WHO: "you" }, gitRef: null, rerunOf: null },
      },
      {
        cmd: "run_list",
        args: { filter: { template: null, status: "failed", limit: 20, offset: 40 } },
      },
      { cmd: "run_logs", args: { id: 7, fromSeq: 101, limit: 5000 } },
      { cmd: "run_cancel", args: { id: 7 } },
    ]);
  });

  it("names an app NAME@ENDPOINT and calls the app commands with their arguments", async () => {
    const ref = appRef({ name: "shop", target: "far" });
    await appGet(ref);
    await appRollback(ref, 2);
    await appRedeploy(ref);
    await appAction(ref, "down-with-volumes");
    await appLogs(ref, "web", 200);
    expect(calls).toEqual([
      { cmd: "app_get", args: { name: "shop@far" } },
      { cmd: "app_rollback", args: { name: "shop@far", to: 2 } },
      { cmd: "app_redeploy", args: { name: "shop@far" } },
      { cmd: "app_action", args: { name: "shop@far", action: "down-with-volumes" } },
      { cmd: "app_logs", args: { name: "shop@far", service: "web", tail: 200 } },
    ]);
  });

  it("rejects with the backend's ApiError, field errors included", async () => {
    const error = {
      code: "invalid",
      message: "The template is not valid",
      fields: [{ path: "name", code: "required", message: "A name is required" }],
      params: { what: "template" },
    };
    answer = () => {
      throw error;
    };
    await expect(templateSave(blankSpec(), null)).rejects.toEqual(error);
  });

  it("normalises other rejections (strings, errors) to ApiError", async () => {
    answer = () => {
      throw "plain text failure";
    };
    await expect(templateList()).rejects.toEqual({
      code: "internal",
      message: "plain text failure",
      fields: [],
      params: {},
    });
    expect(toApiError(new Error("boom"))).toEqual({
      code: "internal",
      message: "boom",
      fields: [],
      params: {},
    });
    expect(toApiError({ code: "conflict", message: "taken" })).toEqual({
      code: "conflict",
      message: "taken",
      fields: [],
      params: {},
    });
  });

  it("follows a run over a Channel and delivers its events in order", async () => {
    let channel: Channel<FollowEvent> | undefined;
    answer = (cmd, args) => {
      if (cmd === "run_follow") channel = (args as { onEvent: Channel<FollowEvent> }).onEvent;
      return null;
    };
    const events = vi.fn();
    await runFollow(3, 42, events);
    expect(calls[0]).toMatchObject({ cmd: "run_follow", args: { id: 3, fromSeq: 42 } });
    const internals = (
      window as unknown as {
        __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void };
      }
    ).__TAURI_INTERNALS__;
    const line = { seq: 42, ts: 1, stream: "stdout", text: "hi" };
    internals.runCallback(channel!.id, { index: 1, message: { type: "end", data: { id: 3 } } });
    internals.runCallback(channel!.id, { index: 0, message: { type: "lines", data: [line] } });
    expect(events.mock.calls.map((c) => (c[0] as FollowEvent).type)).toEqual(["lines", "end"]);
  });
});

describe("api layer outside the desktop app", () => {
  it("rejects at once with no_backend instead of throwing a TypeError", async () => {
    clearMocks();
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
    await expect(templateList()).rejects.toMatchObject({ code: "no_backend" });
  });
});
