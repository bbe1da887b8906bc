// Follow-the-tail state of a scrolling log: following while the view is at the bottom; a scroll
// upwards by the user pauses it; reaching the bottom again (or "jump to end") resumes it.

export class FollowTracker {
  following = true;
  private lastTop = 0;

  /** Feeds one scroll event; returns whether the view follows the tail afterwards. */
  onScroll(scrollTop: number, scrollHeight: number, clientHeight: number, slack = 4): boolean {
    const atBottom = scrollHeight - scrollTop - clientHeight <= slack;
    if (atBottom) this.following = true;
    else if (scrollTop < this.lastTop) this.following = false;
    this.lastTop = scrollTop;
    return this.following;
  }

  /** The user asked to go to the end: follow again. */
  resume(): void {
    this.following = true;
  }

  /** The user moved away from the tail by other means (Home key, "go to top"). */
  pause(): void {
    this.following = false;
  }
}
