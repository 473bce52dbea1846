// Isomorphic: the CPU/memory combinations Fargate accepts for a task (Linux), from the ECS developer guide
// ("Task CPU and memory"). A task definition with any other pair is rejected by RegisterTaskDefinition with
// "ClientException: No Fargate configuration exists for given values", so the form offers only these.

export interface FargateCpuOption {
  cpu: number;
  /** vCPU, for display ("0.5 vCPU"). */
  vcpu: number;
  memories: number[];
}

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
};

export const FARGATE_CPU_OPTIONS: readonly FargateCpuOption[] = [
  { cpu: 256, vcpu: 0.25, memories: [512, 1024, 2048] },
  { cpu: 512, vcpu: 0.5, memories: range(1024, 4096, 1024) },
  { cpu: 1024, vcpu: 1, memories: range(2048, 8192, 1024) },
  { cpu: 2048, vcpu: 2, memories: range(4096, 16384, 1024) },
  { cpu: 4096, vcpu: 4, memories: range(8192, 30720, 1024) },
  { cpu: 8192, vcpu: 8, memories: range(16384, 61440, 4096) },
  { cpu: 16384, vcpu: 16, memories: range(32768, 122880, 8192) },
];

export const FARGATE_CPUS: readonly number[] = FARGATE_CPU_OPTIONS.map((o) => o.cpu);

export function memoriesFor(cpu: number): number[] {
  return FARGATE_CPU_OPTIONS.find((o) => o.cpu === cpu)?.memories ?? [];
}

export function isValidFargatePair(cpu: number, memory: number): boolean {
  return memoriesFor(cpu).includes(memory);
}

export function formatMemory(mb: number): string {
  return mb < 1024 ? `${mb} MB` : `${mb / 1024} GB`;
}

/** "512 CPU allows 1–4 GB memory (in 1 GB steps)" — the message shown next to an invalid pair. */
export function fargatePairHint(cpu: number): string {
  const o = FARGATE_CPU_OPTIONS.find((x) => x.cpu === cpu);
  if (!o) return `Fargate CPU must be one of ${FARGATE_CPUS.join(", ")}`;
  const first = o.memories[0] ?? 0;
  const last = o.memories[o.memories.length - 1] ?? 0;
  if (o.memories.length <= 3) return `${cpu} CPU allows ${o.memories.map(formatMemory).join(", ")} memory`;
  const step = (o.memories[1] ?? 0) - first;
  return `${cpu} CPU allows ${formatMemory(first).replace(/ GB$/, "")}–${formatMemory(last)} memory (in ${formatMemory(step)} steps)`;
}

/** The nearest valid memory for a CPU (used when the CPU changes in the form). */
export function nearestMemory(cpu: number, memory: number): number {
  const ms = memoriesFor(cpu);
  if (!ms.length) return memory;
  return ms.reduce((best, m) => (Math.abs(m - memory) < Math.abs(best - memory) ? m : best), ms[0] ?? memory);
}
