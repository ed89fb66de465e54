import type { z } from 'zod';

/**
 * Parses one deployable's environment with its zod schema. Every bad variable is
 * listed at once, then the process exits: a half-configured service must not start.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env, name = 'service'): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  process.stderr.write(`${name}: invalid configuration\n${lines.join('\n')}\n`);
  process.exit(78); // EX_CONFIG
}

/** Postgres URL with the password masked, for log lines. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}
