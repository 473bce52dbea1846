"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SelectField, TextField } from "../form-fields";
import type { StackFormApi } from "../use-stack-form";

/** Who can reach the Prefect UI and API, and over HTTPS when there is a certificate. */
export function LoadBalancerSection({ form }: { form: StackFormApi }) {
  return (
    <Card>
      <CardHeader title="Load balancer" description="Who can reach the Prefect UI and API." />
      <CardBody className="grid gap-3 sm:grid-cols-2">
        <TextField form={form} field="allowedCidrs" label="Allowed CIDRs" hint="Comma-separated, e.g. 10.0.0.0/8 (ports 80 and 443)" />
        <SelectField
          form={form}
          field="albScheme"
          label="Scheme"
          options={[
            ["internal", "internal (reachable inside the VPC)"],
            ["internet-facing", "internet-facing"],
          ]}
        />
        <TextField
          form={form}
          field="certificateArn"
          label="ACM certificate ARN (optional)"
          hint="With a certificate: HTTPS on 443 and HTTP redirects to it"
        />
        <TextField
          form={form}
          field="domainName"
          label="Domain name"
          hint="Required with a certificate, which must cover it (no certificate covers the load balancer's own name). With a Route 53 hosted zone for it, the stack creates the alias record; otherwise the stack page shows the record to create."
          autoComplete="off"
        />
      </CardBody>
    </Card>
  );
}
