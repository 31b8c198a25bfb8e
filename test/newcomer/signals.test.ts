import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../gate/run-cli.js';
import { terminalEnv } from '../helpers.js';

// An endpoint that takes every request and never answers: a live run waits on it until stopped.
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
const running = new Set<() => void>();
afterEach(() => {
  for (const end of running) end();
  running.clear();
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/**
 * Runs a live check in a pseudo-terminal (util-linux `script`), so the spinner shows, and stops it
 * as a person would: Ctrl-C typed on the terminal, or a signal sent to the process.
 */
function liveRunStoppedBy(stop: 'ctrl-c' | 'SIGTERM'): Promise<{ code: number | null; output: string }> {
  // A terminal of a usual size; the shell's pid is the run's, as `exec` makes it the run.
  const command = `stty cols 80 rows 24; echo pid=$$; exec node ${BIN} check logs --region us-east-1 --endpoint-url ${endpoint} --timeout 600000 --max-attempts 1`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: terminalEnv({ ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', NO_COLOR: '1' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let stopped = false;
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The spinner (or, with --quiet, the first request reaching the endpoint) means the run is waiting.
      const pid = /pid=(\d+)/.exec(output)?.[1];
      if (!stopped && pid && /reading/.test(output)) {
        stopped = true;
        setTimeout(() => {
          if (stop === 'ctrl-c') child.stdin.write('\x03');
          else process.kill(Number(pid), 'SIGTERM');
        }, 300);
      }
    });
    child.on('close', (code) => resolve({ code, output }));
    // A run that ignores the signal would outlive the test: it is ended when the test times out.
    running.add(() => {
      const pid = /pid=(\d+)/.exec(output)?.[1];
      if (pid && child.exitCode === null) process.kill(Number(pid), 'SIGKILL');
    });
  });
}

describe('a live run stops when asked', () => {
  it('Ctrl-C while the spinner shows ends the run with 130', async () => {
    const { code, output } = await liveRunStoppedBy('ctrl-c');
    expect(output).toMatch(/reading/);
    expect(code).toBe(130);
  });

  it('SIGTERM ends it with 143', async () => {
    const { code } = await liveRunStoppedBy('SIGTERM');
    expect(code).toBe(143);
  });
});
