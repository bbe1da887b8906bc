import { describe, expect, it } from "vitest";
import { formatShortDateTime } from "./time";

describe("formatShortDateTime", () => {
  it("names a schedule's next run briefly, weekday first, in the user's language", () => {
    const at = "2026-12-05T03:00:00"; // local time
    expect(formatShortDateTime(at, "en")).toBe("Sat, Dec 5, 03:00");
    expect(formatShortDateTime(at, "zh-CN")).toBe("12月5日周六 03:00");
  });
});
