export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Ages in whole units as configured; 0 keeps the table's rows for ever (the policy is left out). */
export interface RetentionSettings {
  deadLettersDays: number;
  deadLettersPerDevice: number;
  sessionsExpiredHours: number;
  notificationsDays: number;
  engagementDays: number;
  deviceEventsDays: number;
  deviceAcksDays: number;
}

/** The defaults of platform.config.ts, for tests and tools that build the job without the env. */
export const DEFAULT_RETENTION: RetentionSettings = {
  deadLettersDays: 30,
  deadLettersPerDevice: 10_000,
  sessionsExpiredHours: 0,
  notificationsDays: 180,
  engagementDays: 400,
  deviceEventsDays: 400,
  deviceAcksDays: 90,
};

/** The instant before which rows of an age-limited table go, or null when the age is 0 (keep). */
export function cutoffMs(nowMs: number, days: number): number | null {
  return days > 0 ? nowMs - days * DAY_MS : null;
}

/** The settings from the platform's environment (platform.config.ts). */
export function retentionSettingsOf(env: {
  RETENTION_DEAD_LETTERS_DAYS: number;
  RETENTION_DEAD_LETTERS_PER_DEVICE: number;
  RETENTION_SESSIONS_EXPIRED_HOURS: number;
  RETENTION_NOTIFICATIONS_DAYS: number;
  RETENTION_ENGAGEMENT_DAYS: number;
  RETENTION_DEVICE_EVENTS_DAYS: number;
  RETENTION_DEVICE_ACKS_DAYS: number;
}): RetentionSettings {
  return {
    deadLettersDays: env.RETENTION_DEAD_LETTERS_DAYS,
    deadLettersPerDevice: env.RETENTION_DEAD_LETTERS_PER_DEVICE,
    sessionsExpiredHours: env.RETENTION_SESSIONS_EXPIRED_HOURS,
    notificationsDays: env.RETENTION_NOTIFICATIONS_DAYS,
    engagementDays: env.RETENTION_ENGAGEMENT_DAYS,
    deviceEventsDays: env.RETENTION_DEVICE_EVENTS_DAYS,
    deviceAcksDays: env.RETENTION_DEVICE_ACKS_DAYS,
  };
}
