"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/input";
import { REGIONS } from "@/lib/stack-spec";
import { SelectField, SubnetPicker, TextField } from "../form-fields";
import type { useNetworkChoices } from "../use-network-choices";
import type { StackFormApi } from "../use-stack-form";

/** Environment name, region, VPC and subnets: fixed once the stack exists (`form.locked`). */
export function NetworkSection({ form, network }: { form: StackFormApi; network: ReturnType<typeof useNetworkChoices> }) {
  const { vpcs } = network;
  const vpcId = form.values.vpcId;
  const disabled = form.readOnly || form.locked;
  return (
    <Card>
      <CardHeader
        title="Environment and network"
        description="Where the stack lives. Tasks and the database go in private subnets; the load balancer in public ones."
      />
      <CardBody className="grid gap-3 sm:grid-cols-2">
        {form.mode !== "adopt" ? (
          <TextField
            form={form}
            field="env"
            label="Environment name"
            hint="Lower-case, e.g. production or staging; names become prefect-<env>"
            disabled={form.locked}
            autoComplete="off"
          />
        ) : null}
        <Field id="f-region" label="Region" error={form.errorFor("region")}>
          <NativeSelect
            name="region"
            value={form.values.region}
            disabled={disabled}
            onChange={(e) => form.update({ region: e.target.value }, { vpcId: "", privateSubnetIds: [], publicSubnetIds: [] })}
          >
            {REGIONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </NativeSelect>
        </Field>
        <Field
          id="f-vpcId"
          label="VPC"
          error={form.errorFor("vpcId") ?? (network.error ? [network.error] : undefined)}
          hint={vpcs === undefined ? "Loading VPCs…" : vpcs.length === 0 ? "No VPCs in this region" : undefined}
        >
          <NativeSelect
            name="vpcId"
            value={vpcId}
            disabled={disabled}
            onChange={(e) => form.update({ vpcId: e.target.value }, { privateSubnetIds: [], publicSubnetIds: [] })}
          >
            <option value="">Pick a VPC…</option>
            {(vpcs ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name || x.id} ({x.cidr}){x.isDefault ? " · default" : ""}
              </option>
            ))}
            {vpcId && vpcs && !vpcs.some((x) => x.id === vpcId) ? <option value={vpcId}>{vpcId}</option> : null}
          </NativeSelect>
        </Field>
        <div className="grid gap-3 sm:col-span-2 sm:grid-cols-2">
          <SubnetPicker
            form={form}
            field="privateSubnetIds"
            label="Private subnets (tasks, database)"
            hint="At least two, in different Availability Zones"
            subnets={network.subnets}
          />
          <SubnetPicker
            form={form}
            field="publicSubnetIds"
            label="Public subnets (load balancer)"
            hint="At least two, in different Availability Zones"
            subnets={network.subnets}
          />
        </div>
        <SelectField
          form={form}
          field="natGateways"
          label="NAT gateways"
          hint="Tasks in private subnets need a way out (image, secrets, logs). The plan checks the subnets' routes; if they have none, let the stack create NAT gateways in the public subnets (~$33/month each plus data)."
          options={[
            ["none", "none: the private subnets already route to a NAT gateway"],
            ["single", "one shared NAT gateway"],
            ["per-az", "one NAT gateway per Availability Zone (one per public subnet)"],
          ]}
        />
      </CardBody>
    </Card>
  );
}
