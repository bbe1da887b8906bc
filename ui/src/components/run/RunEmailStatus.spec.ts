import { describe, expect, it } from "vitest";
import type { EmailDelivery } from "@/bindings/EmailDelivery";
import { mountApp } from "@/test/mountApp";
import RunEmailStatus from "./RunEmailStatus.vue";

const email = (patch: Partial<EmailDelivery>): EmailDelivery => ({
  state: "sent",
  recipients: ["me@example.com", "team@example.com"],
  attempts: 1,
  message: "250 OK",
  updatedAt: "2026-11-25T18:41:00Z",
  ...patch,
});

function text(e: EmailDelivery): string {
  return mountApp(RunEmailStatus, { props: { email: e } })
    .find('[data-testid="run-email"]')
    .text();
}

describe("the e-mail status on the run page", () => {
  it("shows whom it was sent to and the server's answer", () => {
    expect(text(email({}))).toBe("Sent to me@example.com, team@example.com (250 OK)");
  });

  it("shows why it was not sent, in the server's own words", () => {
    const failed = email({
      state: "failed",
      message: "535 5.7.8 Authentication credentials invalid",
    });
    expect(text(failed)).toBe("E-mail not sent: 535 5.7.8 Authentication credentials invalid");
  });

  it("says it is still being sent while retrying", () => {
    expect(text(email({ state: "pending", message: null }))).toBe(
      "Sending to me@example.com, team@example.com…",
    );
  });
});
