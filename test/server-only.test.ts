import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The browser/server boundary, second half (the first is ESLint's no-restricted-imports in eslint.config.mjs: nothing
// in components/ or lib/ imports @/server): every module under server/ starts with `import "server-only"`, so a
// client component that reached one anyway would fail the build instead of shipping server code to the browser.

const root = path.resolve(__dirname, "..");

function modules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "testing" ? [] : modules(p); // test helpers, not product code
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe("every server module is server-only", () => {
  const files = modules(path.join(root, "server"));

  it("finds the server modules", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('starts each with import "server-only"', () => {
    const missing = files
      .filter((f) => fs.readFileSync(f, "utf8").split("\n")[0] !== 'import "server-only";')
      .map((f) => path.relative(root, f));
    expect(missing).toEqual([]);
  });
});
