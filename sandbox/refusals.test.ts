import { describe, expect, it } from "vitest";
import { enisUsing, loadBalancerNameProblem, masterPasswordProblem, maxStorageProblem } from "./aws-proxy/rules";
import { World, type SimTask } from "./world";

describe("AWS's value rules", () => {
  it("master passwords", () => {
    expect(masterPasswordProblem("Ok-pass_word.123!")).toBeUndefined();
    expect(masterPasswordProblem("1234567")).toMatch(/shorter than 8/);
    expect(masterPasswordProblem("has space1")).toMatch(/printable ASCII/);
    for (const bad of ["a/bcdefgh", "a'bcdefgh", 'a"bcdefgh', "a@bcdefgh", "pässwörd1"])
      expect(masterPasswordProblem(bad)).toMatch(/printable ASCII/);
  });

  it("max allocated storage", () => {
    expect(maxStorageProblem(22, 20, "postgres", false)).toBeUndefined();
    expect(maxStorageProblem(21, 20, "postgres", false)).toBe("Invalid max storage size for postgres");
    expect(maxStorageProblem(20, 20, "postgres", false)).toBeDefined();
    expect(maxStorageProblem(20, 20, "postgres", true)).toBeUndefined(); // turns autoscaling off
    expect(maxStorageProblem(1100, 1000, "postgres", true)).toBeUndefined();
    expect(maxStorageProblem(1099, 1000, "postgres", true)).toBeDefined();
  });

  it("load balancer names", () => {
    expect(loadBalancerNameProblem("prefect-prod")).toBeUndefined();
    expect(loadBalancerNameProblem("a".repeat(32))).toBeUndefined();
    expect(loadBalancerNameProblem("a".repeat(33))).toMatch(/32/);
    expect(loadBalancerNameProblem("prefect-")).toMatch(/hyphen/);
    expect(loadBalancerNameProblem("internal-prefect")).toMatch(/internal-/);
    expect(loadBalancerNameProblem("prefect.prod")).toMatch(/alphanumeric/);
  });

  it("a stopped task's ENI holds its security groups for about a minute (scaled)", () => {
    const world = new World({ region: "us-east-1", timeScale: 10, tickMs: 1000, logLinesPerTaskPerSec: 0, quiet: true });
    const task = { arn: "arn:task/1", eniId: "eni-1", phase: "RUNNING" } as SimTask;
    world.tasks.set(task.arn, task);
    world.taskSecurityGroups.set(task.arn, ["sg-1"]);
    expect(enisUsing(world, "sg-1", 0)).toEqual(["eni-1"]);
    expect(enisUsing(world, "sg-2", 0)).toEqual([]);
    task.phase = "STOPPED";
    task.stoppedAt = 1000;
    expect(enisUsing(world, "sg-1", 1000 + 5_999)).toEqual(["eni-1"]); // 60 s / 10
    expect(enisUsing(world, "sg-1", 1000 + 6_000)).toEqual([]);
  });
});
