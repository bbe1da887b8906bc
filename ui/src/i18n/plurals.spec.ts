import { describe, expect, it } from "vitest";
import { i18n } from ".";

describe("plural forms", () => {
  it("counts read naturally in English", () => {
    const { t } = i18n.global;
    i18n.global.locale.value = "en";
    expect(t("triggers.status.polling", { n: 1 }, 1)).toBe("Polling every minute");
    expect(t("triggers.status.polling", { n: 5 }, 5)).toBe("Polling every 5 minutes");
    expect(t("repos.branchCount", { n: 1 }, 1)).toBe("1 branch");
    expect(t("repos.tagCount", { n: 2 }, 2)).toBe("2 tags");
  });
});
