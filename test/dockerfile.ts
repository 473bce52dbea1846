import fs from "node:fs";
import path from "node:path";

// Reads the project's Dockerfile into stages of instructions, so tests can check it and run its runtime stage's
// exact command (e2e/container.spec.ts) without a Docker engine.

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export const DOCKERFILE = path.resolve(__dirname, "../Dockerfile");

export function parseDockerfile(text = fs.readFileSync(DOCKERFILE, "utf8")): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const kw = keyword.toUpperCase();
    if (kw === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      const image = (m?.[1] ?? rest).replace(/\$\{(\w+)\}/g, (_, v: string) => args[v] ?? "");
      stages.push({ from: image, name: m?.[2], instructions: [] });
    } else if (kw === "ARG" && stages.length === 0) {
      const [k, v = ""] = rest.split("=");
      args[k!] = v;
    } else stages.at(-1)?.instructions.push({ keyword: kw, args: rest.replace(/\s+/g, " ") });
  }
  return { args, stages };
}

/** ENV lines of a stage as a map (`ENV A=1 B=2` form). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === "ENV"))
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  return env;
}

/** The exec-form JSON array of a CMD / HEALTHCHECK … CMD instruction. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  return JSON.parse(json) as string[];
}

export const instructions = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
