import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /** True when SMTP is configured; otherwise send() refuses and callers record the mail as not sent. */
  readonly enabled: boolean;
  /** Resolves with the server's message id once the SMTP server has accepted the mail; rejects otherwise. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerConfig {
  /** smtp://user:pass@host:port or smtps://…; absent = email disabled (local runs without a mail server). */
  smtpUrl?: string;
  from: string;
}

/**
 * One SMTP transport for every mail the platform sends (notifications, digests, weekly
 * reports). Pooled, so a burst of notifications reuses a few connections instead of one
 * TCP + TLS handshake per mail.
 */
export function createMailer(config: MailerConfig): Mailer {
  if (!config.smtpUrl) {
    return {
      enabled: false,
      send: () => Promise.reject(new Error('email is not configured (SMTP_URL is unset)')),
      close: () => {},
    };
  }
  const url = new URL(config.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true,
    maxConnections: 3,
    // A mail server that hangs must not hold notification delivery forever.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    // Local test servers and intranet relays often run without TLS; STARTTLS is used when offered.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
  });
  return {
    enabled: true,
    async send(message) {
      const info = await transport.sendMail({ from: config.from, ...message });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
