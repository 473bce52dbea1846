// CloudWatch Logs filter pattern matching for the sandbox's Live Tail (moto has no Live Tail, so nobody matches for
// it). The syntax CloudWatch documents ("Filter pattern syntax for metric filters, subscription filters, filter log
// events, and Live Tail"): terms (all must occur, case-sensitive), "quoted phrases", `?a ?b` (any), `-term`
// (exclude), `%regex%`, JSON `{ $.field op value }` joined by && / ||, and `[f1, f2 …]` space-delimited patterns
// (matched here by field count only — a documented sandbox limit). A malformed pattern is an error, as on AWS.

export class FilterPatternError extends Error {}

type Matcher = (message: string) => boolean;

function jsonValue(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path
    .replace(/^\$\.?/, "")
    .split(/\.|\[(\d+)\]/)
    .filter(Boolean)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function jsonComparison(expr: string): Matcher {
  const m = /^\s*(\$[\w.[\]]*)\s*(=|!=|>=|<=|>|<)\s*(.+?)\s*$/.exec(expr);
  if (!m) throw new FilterPatternError(`Invalid filter pattern: cannot read "${expr.trim()}"`);
  const [, path, op, rawValue] = m as unknown as [string, string, string, string];
  const quoted = /^"(.*)"$/.exec(rawValue);
  const value = quoted ? quoted[1]! : rawValue;
  const numeric = !quoted && /^-?\d+(\.\d+)?$/.test(value);
  const wildcard = !numeric && value.includes("*") ? new RegExp(`^${value.split("*").map(escapeRe).join(".*")}$`) : undefined;
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    const v = jsonValue(doc, path);
    if (v === undefined) return false;
    if (numeric) {
      const n = Number(v);
      const want = Number(value);
      if (!Number.isFinite(n)) return false;
      return op === "="
        ? n === want
        : op === "!="
          ? n !== want
          : op === ">"
            ? n > want
            : op === "<"
              ? n < want
              : op === ">="
                ? n >= want
                : n <= want;
    }
    const s = typeof v === "string" ? v : JSON.stringify(v);
    const eq = wildcard ? wildcard.test(s) : s === value;
    if (op === "=") return eq;
    if (op === "!=") return !eq;
    throw new FilterPatternError(`Invalid filter pattern: "${op}" needs a number`);
  };
}

function jsonPattern(body: string): Matcher {
  // One level of && / || (CloudWatch also allows parentheses; not needed by the console).
  if (body.includes("||")) {
    const parts = body.split("||").map(jsonPattern);
    return (m) => parts.some((p) => p(m));
  }
  const parts = body.split("&&").map(jsonComparison);
  return (m) => parts.every((p) => p(m));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function tokens(pattern: string): string[] {
  const out: string[] = [];
  const re = /(-?\?)?"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pattern))) out.push(m[3] ?? `${m[1] ?? ""}"${m[2]}"`);
  if ((pattern.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1) throw new FilterPatternError("Invalid filter pattern: unterminated quote");
  return out;
}

/** Compiles a pattern; "" matches everything. Throws FilterPatternError for what CloudWatch would reject. */
export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? "").trim();
  if (p === "") return () => true;
  if (p.startsWith("{")) {
    if (!p.endsWith("}")) throw new FilterPatternError("Invalid filter pattern: unclosed {");
    return jsonPattern(p.slice(1, -1));
  }
  if (p.startsWith("[")) {
    if (!p.endsWith("]")) throw new FilterPatternError("Invalid filter pattern: unclosed [");
    const fields = p
      .slice(1, -1)
      .split(",")
      .filter((f) => f.trim() !== "").length;
    return (m) => m.trim().split(/\s+/).length >= fields;
  }
  if (p.startsWith("%")) {
    if (!p.endsWith("%") || p.length < 2) throw new FilterPatternError("Invalid filter pattern: unclosed %regex%");
    let re: RegExp;
    try {
      re = new RegExp(p.slice(1, -1));
    } catch {
      throw new FilterPatternError("Invalid filter pattern: bad regular expression");
    }
    return (m) => re.test(m);
  }
  const unquote = (t: string) => (t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\"/g, '"') : t);
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const t of tokens(p)) {
    if (t.startsWith("?")) any.push(unquote(t.slice(1)));
    else if (t.startsWith("-") && t.length > 1) none.push(unquote(t.slice(1)));
    else all.push(unquote(t));
  }
  return (m) => all.every((t) => m.includes(t)) && (any.length === 0 || any.some((t) => m.includes(t))) && !none.some((t) => m.includes(t));
}
