import { describe, expect, it } from 'vitest';
import { createInstance, type TFunction } from 'i18next';
import type { InboxSubject } from '@airfleet/contracts';
import { serviceEn } from '../i18n/service.en.ts';
import { serviceZhCN } from '../i18n/service.zh-cn.ts';
import { subjectTitle } from './service-subject.ts';

async function translator(lng: 'en' | 'zh-CN'): Promise<TFunction> {
  const i18n = createInstance();
  await i18n.init({ lng, resources: { en: { translation: { service: serviceEn } }, 'zh-CN': { translation: { service: serviceZhCN } } }, interpolation: { escapeValue: false } });
  return i18n.t as TFunction;
}

const maintenance = (level: 'A' | 'B' | 'C', includes: Array<'first' | 'A' | 'B'> | undefined, due: 'overdue' | 'due_soon' | null): InboxSubject => ({
  kind: 'maintenance',
  level,
  includes,
  due,
  nextDueHours: 4000,
  nextDueByDate: null,
  dueInHours: 100,
  dueInDays: 6,
  hoursPerDay: 16,
});

describe('a maintenance item names the one service of the visit and what it includes', () => {
  it.each([
    { subject: maintenance('B', ['A'], 'due_soon'), en: 'Level B due (includes A)', zh: 'B 级保养即将到期（含 A）' },
    { subject: maintenance('C', ['A', 'B'], 'overdue'), en: 'Level C overdue (includes A, B)', zh: 'C 级保养已逾期（含 A、B）' },
    { subject: maintenance('A', [], 'due_soon'), en: 'Level A due', zh: 'A 级保养即将到期' },
    // Work orders made before the field existed.
    { subject: maintenance('B', undefined, null), en: 'Level B', zh: 'B 级保养' },
  ])('$en', async ({ subject, en, zh }) => {
    expect(subjectTitle(subject, await translator('en'))).toBe(en);
    expect(subjectTitle(subject, await translator('zh-CN'))).toBe(zh);
  });
});
