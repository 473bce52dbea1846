// Isomorphic: the Prefect versions the console deploys, pinned. Floating tags (`3-latest`, an unpinned
// `prefect-aws`) let the server and the workers drift apart and make every task start depend on Docker Hub and PyPI
// serving the same thing as yesterday (AWS-RULES.md, "Prefect on top").
//
// 3.6.29 is the newest Prefect 3.6 release (≥ 3.6.22, which fixed an auth bypass in PREFECT_SERVER_API_AUTH_STRING).
// prefect-aws 0.7.7 is the newest release that supports Prefect 3.6 (it needs prefect ≥ 3.6.24; 0.7.8 needs 3.7).

export const PREFECT_VERSION = "3.6.29";
export const PREFECT_IMAGE = `prefecthq/prefect:${PREFECT_VERSION}-python3.12`;
export const PREFECT_AWS_VERSION = "0.7.7";
/** What the worker's EXTRA_PIP_PACKAGES installs for an `ecs` pool. */
export const PREFECT_AWS_REQUIREMENT = `prefect-aws==${PREFECT_AWS_VERSION}`;

/** The Prefect version in an image reference (`prefecthq/prefect:3.6.29-python3.12` → `3.6.29`), if it names one. */
export function prefectVersionOfImage(image: string): string | undefined {
  const tag = /:([^/@]+)(?:@sha256:[a-f0-9]{64})?$/.exec(image)?.[1];
  return tag ? /^(\d+\.\d+\.\d+(?:\.dev\d+|rc\d+)?)(?:-|$)/.exec(tag)?.[1] : undefined;
}

/** The prefect-aws version pinned in an EXTRA_PIP_PACKAGES value, if any. */
export function prefectAwsVersionOf(extraPipPackages: string | undefined): string | undefined {
  return /(?:^|\s)prefect-aws==([\w.]+)/.exec(extraPipPackages ?? "")?.[1];
}

/** Server and worker Prefect versions side by side, as the overview shows them (amber when they differ). */
export interface VersionCheck {
  state: "match" | "mismatch" | "unknown";
  message: string;
}

/**
 * Compares the server's Prefect version (its API's /admin/version, else its image tag) with the worker's (its image
 * tag). Unknown when either side cannot be read (a floating tag such as `3-latest` names no version). Pure.
 */
export function compareVersions(server: string | null | undefined, worker: string | null | undefined): VersionCheck {
  if (!server || !worker)
    return {
      state: "unknown",
      message: `Cannot compare: the ${!server ? "server" : "worker"}'s Prefect version is unknown (pin an image tag).`,
    };
  if (server === worker) return { state: "match", message: `Server and worker both run Prefect ${server}.` };
  return {
    state: "mismatch",
    message: `Server runs Prefect ${server}, the worker ${worker}: a worker newer or older than its server may fail to submit flow runs. Apply the stack to pin both to ${PREFECT_VERSION}.`,
  };
}
