import type pg from 'pg';
import type { Role, User } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

/** A user as stored, including the secret-bearing fields the API never returns. */
export interface UserRecord extends User {
  passwordHash: string;
  disabled: boolean;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  customerId: string | null;
  locale?: User['locale'];
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  customer_id: string | null;
  locale: User['locale'];
  password_hash: string;
  disabled: boolean;
}

export const USER_COLUMNS = 'u.id, u.email, u.name, u.role, u.customer_id, u.locale, u.password_hash, u.disabled';

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    customerId: row.customer_id,
    locale: row.locale,
    passwordHash: row.password_hash,
    disabled: row.disabled,
  };
}

/** The public part of a user (what `/api/auth/me` answers). */
export function publicUser(user: User): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role, customerId: user.customerId, locale: user.locale };
}

export function createUsersRepository(pool: pg.Pool) {
  return {
    /** Case-insensitive, matching the unique index on lower(email). */
    async findByEmail(email: string, db: Db = pool): Promise<UserRecord | null> {
      const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`, [email]);
      return rows[0] ? toUserRecord(rows[0]) : null;
    },

    async findById(id: string, db: Db = pool): Promise<UserRecord | null> {
      const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
      return rows[0] ? toUserRecord(rows[0]) : null;
    },

    /** Used by the demo seed and test fixtures; there is no user-admin API yet. */
    async create(user: NewUser, db: Db = pool): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO users (email, name, password_hash, role, customer_id, locale)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [user.email.toLowerCase(), user.name, user.passwordHash, user.role, user.customerId, user.locale ?? 'en'],
      );
      return rows[0]!.id;
    },

    async setDisabled(id: string, disabled: boolean, db: Db = pool): Promise<void> {
      await db.query('UPDATE users SET disabled = $2 WHERE id = $1', [id, disabled]);
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
