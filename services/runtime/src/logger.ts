import { pino, type Logger, type LoggerOptions } from 'pino';

/** Fields that must never reach a log line, wherever they appear. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'cookie',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'databaseUrl',
  '*.databaseUrl',
  'deviceTokenPepper',
  '*.deviceTokenPepper',
  'pepper',
  '*.pepper',
];

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino({
    name,
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  });
}

export type { Logger } from 'pino';
