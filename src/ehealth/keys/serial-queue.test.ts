import { describe, expect, it } from "vitest";
import { SerialQueue } from "./serial-queue.js";

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("SerialQueue", () => {
  it("never runs two tasks at once and keeps their order", async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    let running = 0;
    const task = (name: string, ms: number) => async () => {
      running += 1;
      expect(running).toBe(1);
      events.push(`start ${name}`);
      await tick(ms);
      events.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([
      queue.run(task("a", 20)),
      queue.run(task("b", 1)),
      queue.run(task("c", 5)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("goes on after a failed task and hands the failure to its caller only", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => {
      throw new Error("boom");
    });
    const next = queue.run(() => 42);
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe(42);
  });
});
