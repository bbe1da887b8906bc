import { describe, expect, it } from "vitest";
import { FollowTracker } from "./follow";

describe("follow the tail", () => {
  it("follows while the view stays at the bottom", () => {
    const f = new FollowTracker();
    expect(f.onScroll(600, 1000, 400)).toBe(true);
    expect(f.onScroll(1600, 2000, 400)).toBe(true);
  });

  it("pauses when the user scrolls up", () => {
    const f = new FollowTracker();
    f.onScroll(1600, 2000, 400);
    expect(f.onScroll(1200, 2000, 400)).toBe(false);
  });

  it("stays paused while new lines arrive and the view does not move", () => {
    const f = new FollowTracker();
    f.onScroll(1600, 2000, 400);
    f.onScroll(1200, 2000, 400);
    expect(f.onScroll(1200, 5000, 400)).toBe(false);
    expect(f.onScroll(1300, 5000, 400)).toBe(false);
  });

  it("resumes when the user reaches the bottom again or jumps to the end", () => {
    const f = new FollowTracker();
    f.onScroll(1600, 2000, 400);
    f.onScroll(100, 2000, 400);
    expect(f.onScroll(1598, 2000, 400)).toBe(true);
    f.onScroll(100, 2000, 400);
    f.resume();
    expect(f.following).toBe(true);
  });
});
