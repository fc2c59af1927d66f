// Running the hw part of a litmus test in a child engine (bun, deno, node with V8 flags): start
// runner.ts there, show its progress, pass Ctrl-C on as SIGINT (the child stops and answers with
// what it collected, partial), and read its one-line JSON reply.

import { spawn } from 'node:child_process';
import { UserError } from '../errors.ts';
import { testToWire } from '../litmus/ir.ts';
import { ownModule } from '../own-modules.ts';
import type { HwHooks } from '../runtime/litmus/cpus.ts';
import type { RunsResult } from '../runtime/litmus/run.ts';
import type { Located, ProcessEngine } from './engine.ts';
import { type RunnerReply, type RunnerRequest, runsFromWire } from './runner-protocol.ts';

const RUNNER = ownModule('src/engines/runner');

export async function runInChild(
  engine: ProcessEngine,
  at: Located,
  request: RunnerRequest,
  hooks: HwHooks,
): Promise<RunsResult> {
  const cmd = engine.childCommand(
    at,
    request.flags,
    RUNNER,
    JSON.stringify({ ...request, test: testToWire(request.test) }),
  );
  const child = spawn(cmd.command, cmd.args, {
    env: { ...process.env, ...cmd.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onAbort = () => child.kill('SIGINT');
  hooks.signal?.addEventListener('abort', onAbort);
  // A signal that came while the child was being started: pass it on now (it stops at once).
  if (hooks.signal?.aborted) onAbort();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    for (const line of d.split('\n')) {
      const m = /^progress (\d+) (\d+)$/.exec(line);
      if (m) hooks.onProgress?.(Number(m[1]), Number(m[2]));
      else if (line.trim()) stderr += `${line}\n`;
    }
  });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const line = stdout.trim().split('\n').pop() ?? '';
    let reply: RunnerReply;
    try {
      reply = JSON.parse(line) as RunnerReply;
    } catch {
      throw new UserError(
        `${engine.name} (${at.path}) ended with status ${code} without a result` +
          (stderr ? `:\n${stderr.trim().split('\n').slice(-5).join('\n')}` : ''),
      );
    }
    if ('error' in reply) {
      if (reply.userError)
        throw new UserError(reply.error, reply.userError.file, reply.userError.pos);
      throw new Error(`${engine.name}: ${reply.error}`);
    }
    return runsFromWire(reply.ok);
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
  }
}
