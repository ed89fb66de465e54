import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.ts';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

export interface SmtpSink {
  port: number;
  /** For the platform's SMTP_URL (plain SMTP on loopback). */
  url: string;
  mails: ReceivedMail[];
  /** Stops accepting connections (the "mail server is down" case). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  } catch {
    return bytes;
  }
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), enough for nodemailer's subjects. */
function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

/** A minimal reading of one RFC 5322 message: headers, and a text/plain body (single part or the first text/plain part). */
export function parseMail(raw: string): { subject: string; text: string } {
  const split = (msg: string): [string, string] => {
    const i = msg.search(/\r?\n\r?\n/);
    return i < 0 ? [msg, ''] : [msg.slice(0, i), msg.slice(i).replace(/^\r?\n\r?\n/, '')];
  };
  const headersOf = (h: string): Map<string, string> => {
    const map = new Map<string, string>();
    for (const line of h.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const c = line.indexOf(':');
      if (c > 0) map.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
    }
    return map;
  };
  const decodeBody = (headers: Map<string, string>, body: string): string => {
    const enc = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
    if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
    if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    return body;
  };
  const [head, body] = split(raw);
  const headers = headersOf(head);
  const subject = decodeHeader(headers.get('subject') ?? '');
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return { subject, text: decodeBody(headers, body) };
  for (const part of body.split(`--${boundary}`)) {
    const [ph, pb] = split(part.replace(/^\r?\n/, ''));
    const pheaders = headersOf(ph);
    if ((pheaders.get('content-type') ?? '').startsWith('text/plain')) return { subject, text: decodeBody(pheaders, pb) };
  }
  return { subject, text: '' };
}

/** A real SMTP server (smtp-server) on loopback that keeps every mail it accepts. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const mails: ReceivedMail[] = [];
  let server: SMTPServer | undefined;

  const start = (): Promise<void> => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Connections the platform's pooled transport keeps open must not hold a stop() for 30 s.
      closeTimeout: 200,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { subject, text } = parseMail(raw);
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject,
            text,
            raw,
          });
          callback();
        });
      },
    });
    const s = server;
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
  };
  const stop = (): Promise<void> => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await start();
  return { port, url: `smtp://127.0.0.1:${port}?tls=off`, mails, start, stop, close: stop };
}
