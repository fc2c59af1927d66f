// What machine and engine a hw figure comes from: recorded with every result (STYLE 15).

import os from 'node:os';

export interface HostInfo {
  arch: string;
  cpuModel: string;
  cores: number;
  node: string;
  v8: string;
  os: string;
}

export function hostInfo(): HostInfo {
  return {
    arch: process.arch,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    node: process.versions.node,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()}`,
  };
}
