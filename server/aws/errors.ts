import "server-only";
import { UserError } from "@/server/errors";
import { log } from "@/server/log";

// Typed AWS errors: the full AWS detail goes to the server log, the user gets a safe, actionable message
// (a ConsoleAwsError is a UserError: server/errors.ts shows its message as-is).
export type AwsErrorKind =
  "access-denied" | "throttled" | "not-found" | "in-use" | "quota" | "invalid" | "conflict" | "unavailable" | "unknown";

export class ConsoleAwsError extends UserError {
  constructor(
    message: string,
    readonly kind: AwsErrorKind,
    readonly retryable: boolean,
    readonly awsCode: string | undefined,
  ) {
    super(message);
    this.name = "ConsoleAwsError";
  }
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const ASSUME_ROLE = /unable to assume (the )?role/i;
const ACCESS = /AccessDenied|UnauthorizedOperation|AuthFailure|NotAuthorized|ExpiredToken|InvalidClientTokenId|UnrecognizedClient/;
const THROTTLE = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RateExceeded/;
const NOT_FOUND = /NotFound|NoSuchEntity|DoesNotExist|ResourceNotFound|NotExist|Missing/;
// ClusterContains{Services,Tasks,ContainerInstances}: DeleteCluster while something still runs in it (retry once drained).
const IN_USE = /InUse|DependencyViolation|ResourceInUse|InvalidDBInstanceState|DeleteConflict|ClusterContains/;
const QUOTA = /LimitExceeded|QuotaExceeded|TooMany(?!Requests)/;
const CONFLICT = /AlreadyExists|Duplicate|EntityAlreadyExists|ConflictException/;
const INVALID = /Invalid|Validation|Malformed|BadRequest|ClientException|InvalidParameter/;

export function classifyAwsError(err: unknown): { kind: AwsErrorKind; retryable: boolean; code: string | undefined } {
  const e = (err ?? {}) as SdkErrorLike;
  const code = e.name ?? e.Code;
  const text = `${code ?? ""} ${e.message ?? ""}`;
  const status = e.$metadata?.httpStatusCode;
  // IAM is eventually consistent: ECS cannot assume a role created seconds ago ("Unable to assume role and validate
  // …", "ECS was unable to assume the role …"). Retried with backoff, a bounded number of times (apply's maxAttempts).
  if (ASSUME_ROLE.test(text)) return { kind: "invalid", retryable: true, code };
  if (ACCESS.test(text)) return { kind: "access-denied", retryable: false, code };
  if (THROTTLE.test(text) || status === 429) return { kind: "throttled", retryable: true, code };
  if (IN_USE.test(text)) return { kind: "in-use", retryable: true, code };
  if (QUOTA.test(text)) return { kind: "quota", retryable: false, code };
  if (CONFLICT.test(text)) return { kind: "conflict", retryable: false, code };
  if (NOT_FOUND.test(text)) return { kind: "not-found", retryable: false, code };
  if (
    (status !== undefined && status >= 500) ||
    /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|TimeoutError|Deserialization/i.test(text)
  )
    return { kind: "unavailable", retryable: true, code };
  if (INVALID.test(text)) return { kind: "invalid", retryable: false, code };
  return { kind: "unknown", retryable: Boolean(e.$retryable), code };
}

/**
 * Wraps an SDK failure with context. `action` is the IAM action (`ecs:UpdateService`), `target` the resource name.
 * The message never contains request parameters (which could hold secrets), only names.
 */
export function awsError(err: unknown, action: string, target: string): ConsoleAwsError {
  if (err instanceof ConsoleAwsError) return err;
  const { kind, retryable, code } = classifyAwsError(err);
  const e = (err ?? {}) as SdkErrorLike;
  log.warn("aws call failed", {
    action,
    target,
    code,
    status: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
    detail: e.message,
  });
  const detail = e.message ? `: ${e.message}` : "";
  const message = (() => {
    switch (kind) {
      case "access-denied":
        return `The console's role may not call ${action} on ${target}. Grant ${action} to the console's IAM identity (see README, "IAM permissions").`;
      case "throttled":
        return `AWS throttled ${action} on ${target}; the console retried and will try again.`;
      case "not-found":
        return `${target} was not found (${action})${detail}`;
      case "in-use":
        return `${target} is in use: waiting (${action})${detail}`;
      case "quota":
        return `An AWS quota was reached for ${action} on ${target}${detail}. Raise it in Service Quotas or remove unused resources.`;
      case "conflict":
        return `${target} already exists or conflicts (${action})${detail}`;
      case "invalid":
        return `AWS rejected ${action} on ${target}${detail}`;
      case "unavailable":
        return `AWS did not answer ${action} on ${target}; try again shortly.`;
      default:
        return `${action} on ${target} failed${detail}`;
    }
  })();
  return new ConsoleAwsError(message, kind, retryable, code);
}

/** Runs one SDK call and wraps failures: `await aws("ecs:DescribeServices", cluster, () => client.send(...))`. */
export async function aws<T>(action: string, target: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw awsError(err, action, target);
  }
}
