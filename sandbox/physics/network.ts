// Gives every task a private IP inside its subnet's CIDR and the subnet's AZ (moto hands out random
// 10.x addresses unrelated to the subnet, which would look wrong next to the VPC in the console).
import { DescribeSubnetsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import type { Rng } from "../util/prng";
import { hexId } from "../util/prng";

interface SubnetInfo {
  cidr: string;
  az: string;
  used: Set<string>;
}

export class SubnetDirectory {
  private subnets = new Map<string, SubnetInfo>();
  constructor(
    private ec2: EC2Client,
    private rng: Rng,
  ) {}

  async info(subnetId: string): Promise<SubnetInfo> {
    let s = this.subnets.get(subnetId);
    if (!s) {
      const r = await this.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })).catch(() => undefined);
      const sub = r?.Subnets?.[0];
      s = { cidr: sub?.CidrBlock ?? "10.0.0.0/24", az: sub?.AvailabilityZone ?? "us-east-1a", used: new Set() };
      this.subnets.set(subnetId, s);
    }
    return s;
  }

  async allocate(subnetId: string): Promise<{ ip: string; az: string; eniId: string; mac: string }> {
    const s = await this.info(subnetId);
    const ip = nextFreeIp(s.cidr, s.used, this.rng);
    s.used.add(ip);
    const mac = `0e:${hexId(this.rng, 10).match(/../g)?.join(":")}`;
    return { ip, az: s.az, eniId: `eni-${hexId(this.rng, 17)}`, mac };
  }

  release(subnetId: string, ip: string): void {
    this.subnets.get(subnetId)?.used.delete(ip);
  }
}

/** A random free host address of the CIDR, skipping the 4 addresses AWS reserves at the start and the broadcast. */
export function nextFreeIp(cidr: string, used: Set<string>, rng: Rng): string {
  const [base, bitsStr] = cidr.split("/");
  const bits = Number(bitsStr ?? "24");
  const octets = (base ?? "10.0.0.0").split(".").map(Number);
  const baseNum = (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
  const size = 2 ** (32 - bits);
  const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
  for (let attempt = 0; attempt < 64; attempt++) {
    const off = 4 + Math.floor(rng() * Math.max(1, size - 5));
    const ip = toIp((baseNum + off) >>> 0);
    if (!used.has(ip)) return ip;
  }
  for (let off = 4; off < size - 1; off++) {
    const ip = toIp((baseNum + off) >>> 0);
    if (!used.has(ip)) return ip;
  }
  throw new Error(`subnet ${cidr} is full`);
}
