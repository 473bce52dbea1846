"use client";
import { useEffect, useState } from "react";
import { loadNetwork } from "@/app/(console)/stacks/new/actions";
import type { SubnetChoice, VpcChoice } from "@/lib/network-choices";
import type { StackFormApi } from "./use-stack-form";

/**
 * The VPCs of the form's region, then the subnets of its VPC (pre-selecting the private and public ones when none
 * are picked yet). Answers are kept with the key they answer, so a stale answer never shows for a new region/VPC.
 */
export function useNetworkChoices(form: StackFormApi) {
  const { region, vpcId } = form.values;
  const { showFields, prefill } = form;
  const [vpcState, setVpcState] = useState<{ region: string; vpcs: VpcChoice[] }>();
  const [subnetState, setSubnetState] = useState<{ vpcId: string; subnets: SubnetChoice[] }>();
  const [netError, setNetError] = useState<{ key: string; message: string }>();

  useEffect(() => {
    if (!showFields) return;
    let live = true;
    void loadNetwork({ region }).then((r) => {
      if (!live) return;
      if (r.ok) setVpcState({ region, vpcs: r.data.vpcs });
      else setNetError({ key: region, message: r.error });
    });
    return () => {
      live = false;
    };
  }, [region, showFields]);

  useEffect(() => {
    if (!vpcId || !showFields) return;
    let live = true;
    void loadNetwork({ region, vpcId }).then((r) => {
      if (!live) return;
      if (!r.ok) return setNetError({ key: vpcId, message: r.error });
      setSubnetState({ vpcId, subnets: r.data.subnets });
      prefill((old) =>
        old.privateSubnetIds.length || old.publicSubnetIds.length
          ? old
          : {
              ...old,
              privateSubnetIds: r.data.subnets.filter((s) => !s.public).map((s) => s.id),
              publicSubnetIds: r.data.subnets.filter((s) => s.public).map((s) => s.id),
            },
      );
    });
    return () => {
      live = false;
    };
  }, [region, vpcId, showFields, prefill]);

  return {
    vpcs: vpcState?.region === region ? vpcState.vpcs : undefined,
    subnets: subnetState?.vpcId === vpcId ? subnetState.subnets : undefined,
    error: netError && (netError.key === region || netError.key === vpcId) ? netError.message : undefined,
  };
}
