import type { ChildProcess } from 'node:child_process';

/** The next IPC message of this `type` from a forked load generator; rejects if the child exits first. */
export function nextReport<R extends { type: string }, T extends R['type']>(child: ChildProcess, type: T): Promise<Extract<R, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: R): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m as Extract<R, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`load generator exited (${code}) while waiting for "${type}"`)));
  });
}
