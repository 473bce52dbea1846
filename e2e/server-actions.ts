// The app's server actions as the built console knows them: id (from the build's server-reference manifest, which
// names each action's file and export), a page that serves it, and the role its defineAction requires (from source).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { urlFor } from "../test/security/app-files";

const manifestSchema = z.object({
  node: z.record(z.string(), z.object({ workers: z.record(z.string(), z.unknown()), filename: z.string(), exportedName: z.string() })),
});

export interface ServerActionRef {
  id: string;
  name: string;
  file: string;
  /** A page whose module serves this action (any page that imports it). */
  page: string;
  role: "viewer" | "operator" | "admin" | undefined;
}

function roleOf(source: string, name: string): ServerActionRef["role"] {
  const m = new RegExp(`export const ${name} = defineAction\\(\\{[\\s\\S]*?role: "(viewer|operator|admin)"`).exec(source);
  return m?.[1] as ServerActionRef["role"];
}

export function serverActions(distDir = process.env.NEXT_DIST_DIR ?? ".next"): ServerActionRef[] {
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(distDir, "server/server-reference-manifest.json"), "utf8")));
  return Object.entries(manifest.node).map(([id, a]) => {
    const worker = Object.keys(a.workers).find((w) => w.endsWith("/page")) ?? Object.keys(a.workers)[0]!;
    return {
      id,
      name: a.exportedName,
      file: a.filename,
      page: urlFor(path.resolve(worker.replace(/^app\//, "app/") + ".tsx")),
      role: roleOf(fs.readFileSync(a.filename, "utf8"), a.exportedName),
    };
  });
}

export const operatorOnlyActions = () => serverActions().filter((a) => a.role === "operator" || a.role === "admin");
