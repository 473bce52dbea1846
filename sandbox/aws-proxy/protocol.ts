// Identifies which AWS service and operation a request is (SigV4 credential scope + X-Amz-Target or Action=),
// and writes AWS errors in each protocol's real wire shape, so the SDK parses injected faults exactly like AWS's.
import { randomUUID } from "node:crypto";
import type http from "node:http";

export type Protocol = "json" | "query" | "ec2" | "other";

export interface AwsRequest {
  service: string; // signing name: ecs, ec2, rds, elasticloadbalancing, monitoring, logs, …
  operation: string; // DescribeServices, …
  protocol: Protocol;
  json?: Record<string, unknown>;
  form?: URLSearchParams;
  contentType: string;
}

export function identify(headers: http.IncomingHttpHeaders, body: Buffer): AwsRequest {
  const auth = String(headers.authorization ?? "");
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  const service = scope?.[1] ?? "unknown";
  const contentType = String(headers["content-type"] ?? "");
  const target = headers["x-amz-target"];
  if (typeof target === "string" && target.includes(".")) {
    let json: Record<string, unknown> = {};
    try {
      json = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      /* leave empty */
    }
    return { service, operation: target.slice(target.lastIndexOf(".") + 1), protocol: "json", json, contentType };
  }
  if (contentType.includes("x-www-form-urlencoded")) {
    const form = new URLSearchParams(body.toString("utf8"));
    return { service, operation: form.get("Action") ?? "unknown", protocol: service === "ec2" ? "ec2" : "query", form, contentType };
  }
  return { service, operation: "unknown", protocol: "other", contentType };
}

/** Services whose JSON protocol is "awsQueryCompatible" (CloudWatch moved from query to JSON 1.0 keeping codes). */
const QUERY_COMPATIBLE = new Set(["monitoring"]);

const XMLNS: Record<string, string> = {
  rds: "http://rds.amazonaws.com/doc/2014-10-31/",
  elasticloadbalancing: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
};

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type FaultKind = "throttle" | "5xx";

/** The error a real service returns for throttling / an internal failure, per protocol. */
export function faultResponse(req: AwsRequest, kind: FaultKind): ErrorResponse {
  const requestId = randomUUID();
  if (req.protocol === "json" || req.protocol === "other") {
    const queryCompat = QUERY_COMPATIBLE.has(req.service);
    const code =
      kind === "throttle" ? (queryCompat ? "Throttling" : "ThrottlingException") : queryCompat ? "InternalFailure" : "InternalFailure";
    const message = kind === "throttle" ? "Rate exceeded" : "We encountered an internal error. Please try again.";
    const headers: Record<string, string> = {
      "content-type": req.contentType.startsWith("application/x-amz-json") ? req.contentType : "application/x-amz-json-1.1",
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": code,
    };
    if (queryCompat) headers["x-amzn-query-error"] = `${code};${kind === "throttle" ? "Sender" : "Receiver"}`;
    return { status: kind === "throttle" ? 400 : 500, headers, body: JSON.stringify({ __type: code, message }) };
  }
  if (req.protocol === "ec2") {
    // EC2 answers throttling with 503 RequestLimitExceeded in its own <Response><Errors> envelope.
    const code = kind === "throttle" ? "RequestLimitExceeded" : "InternalError";
    const message = kind === "throttle" ? "Request limit exceeded." : "An internal error has occurred";
    return {
      status: kind === "throttle" ? 503 : 500,
      headers: { "content-type": "text/xml;charset=UTF-8" },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
  const code = kind === "throttle" ? "Throttling" : "InternalFailure";
  const type = kind === "throttle" ? "Sender" : "Receiver";
  const message = kind === "throttle" ? "Rate exceeded" : "We encountered an internal error. Please try again.";
  const ns = XMLNS[req.service] ?? "http://webservices.amazon.com/AWSFault/2005-15-09";
  return {
    status: kind === "throttle" ? 400 : 500,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body: `<ErrorResponse xmlns="${ns}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}

/** A JSON-protocol success answer (used for operations the proxy answers itself, e.g. DescribeAlarmHistory). */
export function jsonResponse(req: AwsRequest, payload: unknown): ErrorResponse {
  return {
    status: 200,
    headers: {
      "content-type": req.contentType.startsWith("application/x-amz-json") ? req.contentType : "application/x-amz-json-1.0",
      "x-amzn-requestid": randomUUID(),
    },
    body: JSON.stringify(payload),
  };
}

/** A JSON-protocol client error (e.g. ResourceNotFound) in the same envelope as faultResponse. */
export function jsonError(req: AwsRequest, status: number, code: string, message: string): ErrorResponse {
  const headers: Record<string, string> = {
    "content-type": req.contentType.startsWith("application/x-amz-json") ? req.contentType : "application/x-amz-json-1.1",
    "x-amzn-requestid": randomUUID(),
    "x-amzn-errortype": code,
  };
  if (QUERY_COMPATIBLE.has(req.service)) headers["x-amzn-query-error"] = `${code};Sender`;
  return { status, headers, body: JSON.stringify({ __type: code, message }) };
}

/** A client error in the query protocol's envelope (RDS, ELBv2, IAM, STS) or EC2's own <Response><Errors>. */
export function queryError(req: AwsRequest, status: number, code: string, message: string): ErrorResponse {
  const requestId = randomUUID();
  const msg = message.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  if (req.protocol === "ec2") {
    return {
      status,
      headers: { "content-type": "text/xml;charset=UTF-8" },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${msg}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
  const ns = XMLNS[req.service] ?? "http://webservices.amazon.com/AWSFault/2005-15-09";
  return {
    status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body: `<ErrorResponse xmlns="${ns}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${msg}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}

/** The error in whichever protocol the request spoke. */
export function awsError(req: AwsRequest, status: number, code: string, message: string): ErrorResponse {
  return req.protocol === "json" ? jsonError(req, status, code, message) : queryError(req, status, code, message);
}
