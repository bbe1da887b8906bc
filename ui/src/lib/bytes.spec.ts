import { describe, expect, it } from "vitest";
import { formatBytes } from "./bytes";

describe("byte counts", () => {
  it("uses the largest unit that keeps the number readable", () => {
    expect(formatBytes(0, "en")).toBe("0 B");
    expect(formatBytes(999, "en")).toBe("999 B");
    expect(formatBytes(1234, "en")).toBe("1.2 kB");
    expect(formatBytes(74_000_000, "en")).toBe("74 MB");
    expect(formatBytes(1_310_000_000, "en")).toBe("1.3 GB");
    expect(formatBytes(123_400_000_000, "en")).toBe("123 GB");
  });
});
