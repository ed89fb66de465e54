import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailCatcher {
  url: string;
  count(): number;
  close(): Promise<void>;
}

/**
 * Local runs have no mail server, yet notifications, digests and weekly reports are half the
 * product: this SMTP server on loopback accepts every mail and keeps it as an .eml file
 * (opens in any mail client) instead of sending it anywhere. Production sets SMTP_URL instead.
 */
export async function startMailCatcher(dir: string, port: number): Promise<MailCatcher> {
  await mkdir(dir, { recursive: true });
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'AirFleet local mail catcher',
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received += 1;
        const to = session.envelope.rcptTo.map((r) => r.address).join(',').replace(/[^A-Za-z0-9@.,_-]/g, '_');
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(received).padStart(4, '0')}-${to.slice(0, 80)}.eml`;
        writeFile(path.join(dir, name), Buffer.concat(chunks)).then(() => callback(), (err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // An SMTP client that misbehaves must not stop the launcher.
  server.on('error', () => undefined);
  return {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    count: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
