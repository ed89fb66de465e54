import type pg from 'pg';
import { toUserRecord, USER_COLUMNS, type UserRecord } from './users.repository.ts';

type Db = pg.Pool | pg.PoolClient;

/**
 * Sessions are keyed by the SHA-256 of the cookie value (see auth/session.ts): a copy of
 * this table (backup, replica, SQL injection elsewhere) does not yield usable cookies.
 */
export function createSessionsRepository(pool: pg.Pool) {
  return {
    async create(session: { idHash: string; userId: string; createdAt: Date; expiresAt: Date }, db: Db = pool): Promise<void> {
      await db.query('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        session.idHash,
        session.userId,
        session.createdAt,
        session.expiresAt,
      ]);
    },

    /**
     * The user behind a live session. A disabled user's sessions stop working at once,
     * without waiting for them to expire. `now` comes from the app clock, not the
     * database's, so tests can move time.
     */
    async findUser(idHash: string, now: Date, db: Db = pool): Promise<UserRecord | null> {
      const { rows } = await db.query(
        `SELECT ${USER_COLUMNS}
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
        [idHash, now],
      );
      return rows[0] ? toUserRecord(rows[0]) : null;
    },

    async delete(idHash: string, db: Db = pool): Promise<void> {
      await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },

    /** Housekeeping: login calls it for the user; a periodic job may call it for everyone. */
    async deleteExpired(now: Date, userId?: string, db: Db = pool): Promise<number> {
      const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at <= $1 AND ($2::uuid IS NULL OR user_id = $2)', [
        now,
        userId ?? null,
      ]);
      return rowCount ?? 0;
    },

    async deleteForUser(userId: string, db: Db = pool): Promise<number> {
      const { rowCount } = await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
      return rowCount ?? 0;
    },
  };
}
export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
