import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLogger, hashSecret, newToken, parseEnv } from '@airfleet/runtime';
import { createPool } from '../db/pool.ts';
import { migrate } from '../db/migrate.ts';
import { createUsersRepository } from '../repositories/users.repository.ts';

/**
 * Production has no default users or passwords: the first admin is created with this
 * command. The password is generated, printed once, and stored only as a scrypt hash.
 *   node services/platform/src/cli/create-admin.cli.ts --email you@example.com [--name "…"]
 */
const env = parseEnv(z.object({ DATABASE_URL: z.string().url() }), process.env, 'create-admin');
const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const email = z.string().email().safeParse(values.email);
if (!email.success) {
  process.stderr.write('usage: create-admin --email you@example.com [--name "Your Name"]\n');
  process.exit(64);
}
const log = createLogger('create-admin', { level: 'warn' });
const pool = createPool(env.DATABASE_URL, log, 1);
try {
  await migrate(env.DATABASE_URL, log);
  const users = createUsersRepository(pool);
  if (await users.findByEmail(email.data)) {
    process.stderr.write(`a user with the email ${email.data} already exists\n`);
    process.exitCode = 1;
  } else {
    const password = newToken(18);
    await users.create({ email: email.data, name: values.name ?? email.data, passwordHash: await hashSecret(password), role: 'admin', customerId: null });
    process.stdout.write(`admin ${email.data} created.\npassword (shown once): ${password}\n`);
  }
} finally {
  await pool.end();
}
