// Minimal XML surgery for the query-protocol answers the proxy rewrites (RDS, ELBv2). moto's XML is regular
// (no attributes on these elements, no CDATA), so string-level edits on known element names are enough and
// avoid a dependency. Values are escaped on the way in.

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function xmlUnescape(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Text of the first <tag>…</tag> (not nested) in xml, or undefined. */
export function tagText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1] === undefined ? undefined : xmlUnescape(m[1]);
}

/** Replace the text of the first simple <tag>…</tag>; adds it before `</${container}>` end if absent and container given. */
export function setTagText(xml: string, tag: string, value: string): string {
  const re = new RegExp(`<${tag}>[^<]*</${tag}>|<${tag}/>`);
  if (re.test(xml)) return xml.replace(re, `<${tag}>${xmlEscape(value)}</${tag}>`);
  return xml;
}

/** Remove a whole element (first occurrence, may contain children). */
export function removeElement(xml: string, tag: string): string {
  return xml.replace(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>|<${tag}/>`), "");
}

/**
 * Apply fn to every top-level-ish block <tag>…</tag> (non-greedy; the blocks we edit do not nest in themselves).
 */
export function mapBlocks(xml: string, tag: string, fn: (block: string) => string): string {
  return xml.replace(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, "g"), (b) => fn(b));
}

export function blocks(xml: string, tag: string): string[] {
  return xml.match(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, "g")) ?? [];
}

/** Insert a child fragment just before the closing tag of the block. */
export function appendChild(block: string, closingTag: string, fragment: string): string {
  const idx = block.lastIndexOf(`</${closingTag}>`);
  return idx < 0 ? block : block.slice(0, idx) + fragment + block.slice(idx);
}
