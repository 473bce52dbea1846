import "server-only";
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin ACM wrapper: what the plan and the account preflight need to know about the stack's certificate.

const acm = (region: string) => awsClient(ACMClient, region);

export interface CertificateInfo {
  arn: string;
  /** ISSUED, PENDING_VALIDATION, EXPIRED, REVOKED, FAILED, INACTIVE, VALIDATION_TIMED_OUT */
  status: string;
  /** The domain name and the subject alternative names (which include the domain name on AWS). */
  names: string[];
  inUseBy: string[];
}

// aws acm describe-certificate --certificate-arn A  (10 requests/s per account)
export async function describeCertificate(region: string, arn: string): Promise<CertificateInfo> {
  const out = await aws("acm:DescribeCertificate", arn.split("/").pop() ?? arn, () =>
    acm(region).send(new DescribeCertificateCommand({ CertificateArn: arn })),
  );
  const c = out.Certificate;
  return {
    arn,
    status: c?.Status ?? "UNKNOWN",
    names: [...new Set([c?.DomainName ?? "", ...(c?.SubjectAlternativeNames ?? [])].filter(Boolean))],
    inUseBy: c?.InUseBy ?? [],
  };
}
