// Isomorphic: custom domain names for the stack's URLs, and ACM's rules for which names a certificate covers.
// ACM never issues a certificate for *.elb.amazonaws.com, so HTTPS on the load balancer needs a name of your own.

/** A DNS host name: 2+ labels of letters, digits and hyphens (not at a label's ends), ≤ 253 characters, lower case. */
export const DOMAIN_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** The load balancer's own names: no certificate can cover them. */
export const AWS_OWNED_SUFFIX = /\.elb\.amazonaws\.com$|\.amazonaws\.com$/;

/**
 * Whether a certificate for `names` (its domain name + subject alternative names) is valid for `host`, by the rules
 * TLS clients apply (RFC 6125 as ACM uses it): exact match, or a wildcard `*.example.com` covering exactly one more
 * label (`a.example.com`, not `example.com` and not `a.b.example.com`). Case-insensitive.
 */
export function certificateCovers(names: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return names.some((raw) => {
    const n = raw.toLowerCase().replace(/\.$/, "");
    if (!n.startsWith("*.")) return n === h;
    const rest = n.slice(2);
    const dot = h.indexOf(".");
    return dot > 0 && h.slice(dot + 1) === rest;
  });
}

/** The URLs the stack serves: the custom domain when there is one, else the load balancer's DNS name. */
export function stackHost(spec: { domainName?: string | undefined }, albDnsName: string): string {
  return spec.domainName ?? albDnsName;
}

/** The record to create at another DNS provider so the domain points at the load balancer. */
export function manualRecord(domain: string, albDnsName: string): string {
  return `${domain}. CNAME ${albDnsName}`;
}
