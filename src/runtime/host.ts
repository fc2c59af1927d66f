// What machine and engine a hw figure comes from: recorded with every result (STYLE 15).
// The engine is asked of the engine itself (runtime/identity.ts): under Bun or Deno,
// process.versions.node is a compatibility string, not the engine.

import os from 'node:os';
import { type EngineIdentity, engineIdentity } from './identity.ts';

export interface HostInfo {
  arch: string;
  cpuModel: string;
  cores: number;
  os: string;
  engine: EngineIdentity;
  /** A browser's own word about its device (a phone, another machine): absent on Node, Bun, Deno. */
  device?: { userAgent: string; hardwareConcurrency: number; browserVersion?: string };
}

export function hostInfo(flags: string[] = []): HostInfo {
  return {
    arch: os.arch(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    os: `${os.type()} ${os.release()}`,
    engine: engineIdentity(flags),
  };
}
