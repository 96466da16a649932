/**
 * Fargate task sizes: the valid cpu/memory pairs, and the smallest one that fits a request. The aws
 * target builds this size and `cairn cost` prices it: one table for both.
 */

/** CPU units (1024 = 1 vCPU) and the memory each allows, in MiB. */
const SIZES: readonly { cpu: number; memory: readonly number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

export interface FargateSize {
  readonly cpu: number;
  readonly memoryMiB: number;
  /** True when the pair is larger than asked, because Fargate has no such size. */
  readonly roundedUp: boolean;
}

/** Smallest valid pair with at least `vcpu` and `memoryBytes`; the largest when nothing fits. */
export function fargateSize(vcpu: number, memoryBytes: number): FargateSize {
  const cpuUnits = Math.ceil(vcpu * 1024);
  const memoryMiB = Math.ceil(memoryBytes / 1024 ** 2);
  for (const size of SIZES) {
    if (size.cpu < cpuUnits) continue;
    const memory = size.memory.find((m) => m >= memoryMiB);
    if (memory !== undefined) return { cpu: size.cpu, memoryMiB: memory, roundedUp: size.cpu !== cpuUnits || memory !== memoryMiB };
  }
  const largest = SIZES[SIZES.length - 1] ?? { cpu: 16384, memory: [122880] };
  return { cpu: largest.cpu, memoryMiB: largest.memory[largest.memory.length - 1] ?? 122880, roundedUp: false };
}
