import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alarmsResponseSchema,
  deviceMaintenanceSchema,
  errorBodySchema,
  findModel,
  inboxResponseSchema,
  serviceHistoryResponseSchema,
  techniciansResponseSchema,
  workOrderDetailSchema,
  type DeviceMaintenance,
  type WorkOrder,
  type WorkOrderDetail,
} from '@airfleet/contracts';
import { DeviceAgent, initialState } from '@airfleet/firmware-sim';
import { createLogger } from '@airfleet/runtime';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const DAY = 86_400_000;

/**
 * Closing the loop: a simulated compressor (firmware-sim's DeviceAgent over the
 * real gateway) is past its level-A interval → the overdue task is in the inbox → a work order
 * from it is scheduled, started and completed → the device receives service_reset, acknowledges
 * it, and its next telemetry shows the A counter restarted; the work order shows the ack, the
 * plan shows the next due date moved, the overdue alarm is cleared, the audit trail has it all.
 */
describe('work order closes the loop to the machine', () => {
  let sys: System;
  let queueDir: string;
  let agent: DeviceAgent;
  let service: string;
  const events: Array<{ type: string; payload: unknown }> = [];

  beforeAll(async () => {
    sys = await startSystem();
    queueDir = await mkdtemp(path.join(tmpdir(), 'airfleet-wo-'));
    service = await sys.login('service@airfleet.example');
    sys.events.on('domain', (e) => events.push(e));
  });
  afterAll(async () => {
    await agent?.stop({ sendOffline: false }).catch(() => undefined);
    await sys?.close();
    await rm(queueDir, { recursive: true, force: true });
  });

  const api = async <T>(p: string, parse: { parse: (x: unknown) => T }, init?: RequestInit): Promise<T> => {
    const res = await sys.api(p, service, init);
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`${p}: ${res.status} ${JSON.stringify(body)}`);
    return parse.parse(body);
  };
  const post = <T>(p: string, parse: { parse: (x: unknown) => T }, body: unknown = undefined): Promise<T> =>
    api(p, parse, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const latestMetrics = async (deviceId: string): Promise<Record<string, number> | undefined> =>
    (await sys.pool.query<{ metrics: Record<string, number> }>('SELECT metrics FROM device_latest WHERE device_id = $1', [deviceId])).rows[0]?.metrics;

  it('inbox item → work order → scheduled → in progress → done → service_reset applied on the device', async () => {
    const d = sys.devices.find((x) => x.modelId === 'AF37')!;
    const model = findModel('AF37')!;
    // The machine's record: level A last done at 0 h a month ago, so at 2150 h it is 150 h overdue.
    // (B and C are not due: 4000 h / 8000 h.)
    const monthAgo = Date.now() - 30 * DAY;
    await sys.pool.query(
      `INSERT INTO device_service (device_id, level, last_hours, last_at, source, done)
       VALUES ($1, 'first', 500, to_timestamp($2 / 1000.0), 'service', true), ($1, 'A', 0, to_timestamp($2 / 1000.0), 'service', false),
              ($1, 'B', 0, to_timestamp($2 / 1000.0), 'service', false), ($1, 'C', 0, to_timestamp($2 / 1000.0), 'service', false)`,
      [d.id, monthAgo],
    );
    agent = new DeviceAgent({
      deviceId: d.id,
      token: d.token,
      modelId: d.modelId,
      seed: d.seed,
      mqttUrl: `mqtt://127.0.0.1:${sys.mqttPort}`,
      queueDir,
      intervalMs: 500,
      reconnectPeriodMs: 200,
      log: createLogger('sim', { level: 'silent' }),
      state: initialState('AF37', d.seed, { tMs: Date.now(), counters: { runningHours: 2150 } }),
    });
    await agent.start();
    const before = await waitFor(async () => latestMetrics(d.id), 'first telemetry stored');
    expect(before.serviceHoursA).toBeGreaterThan(100); // the device's own counter since its last A

    // The service rule raised the overdue alarm on the first sample.
    const overdueAlarm = await waitFor(async () => {
      const list = await api(`/api/alarms?deviceId=${d.id}&state=active`, alarmsResponseSchema);
      return list.items.find((a) => a.type === 'service_overdue_A');
    }, 'service_overdue_A alarm');

    // The inbox shows the overdue level as a task of its own.
    const inbox = await api('/api/service/inbox', inboxResponseSchema);
    const item = inbox.items.find((i) => i.key === `maintenance:${d.id}:A`);
    expect(item).toMatchObject({ kind: 'maintenance', category: 'overdue', level: 'A', deviceId: d.id, workOrder: null });
    const planBefore = await api(`/api/devices/${d.id}/maintenance`, deviceMaintenanceSchema);
    const aBefore = planBefore.levels.find((l) => l.level === 'A')!;
    expect(aBefore).toMatchObject({ overdue: true, lastServiceHours: 0 });

    // Work order from the item: device, level and the level's kit come from it.
    const wo = await post('/api/work-orders', workOrderDetailSchema, { itemKey: item!.key });
    expect(wo).toMatchObject({ status: 'open', deviceId: d.id, level: 'A', itemKey: item!.key, partsPlanned: model.servicePlan.levels[1]!.kit.map((partNumber) => ({ partNumber, quantity: 1 })) });
    const again = await sys.api('/api/work-orders', service, { method: 'POST', body: JSON.stringify({ itemKey: item!.key }) });
    expect(again.status).toBe(409);
    expect(errorBodySchema.parse(await again.json()).code).toBe('WORK_ORDER_EXISTS');

    const sam = (await api('/api/service/technicians', techniciansResponseSchema)).items.find((t) => t.email === 'service@airfleet.example')!;
    const scheduled = await post(`/api/work-orders/${wo.id}/schedule`, workOrderDetailSchema, { scheduledFor: new Date(Date.now() + DAY).toISOString(), technicianId: sam.id });
    expect(scheduled).toMatchObject({ status: 'scheduled', technician: { id: sam.id, name: 'Sam Service' } });
    // Completing before starting is not in the lifecycle.
    const early = await sys.api(`/api/work-orders/${wo.id}/complete`, service, { method: 'POST', body: JSON.stringify({ runningHours: 2150, level: 'A' }) });
    expect(early.status).toBe(409);
    expect(errorBodySchema.parse(await early.json()).code).toBe('INVALID_TRANSITION');

    const inboxScheduled = await api('/api/service/inbox', inboxResponseSchema);
    expect(inboxScheduled.items.find((i) => i.key === item!.key)).toMatchObject({ assignee: { id: sam.id }, workOrder: { id: wo.id, status: 'scheduled' } });
    const calendar = await api(`/api/service/calendar?days=30&technicianId=${sam.id}`, { parse: (x) => x as { entries: Array<{ kind: string; workOrderId: string | null }> } });
    expect(calendar.entries.some((e) => e.kind === 'scheduled' && e.workOrderId === wo.id)).toBe(true);

    expect((await post(`/api/work-orders/${wo.id}/start`, workOrderDetailSchema)).status).toBe('in_progress');
    const hoursAtService = (await latestMetrics(d.id))!.runningHours!;
    const done = await post(`/api/work-orders/${wo.id}/complete`, workOrderDetailSchema, { runningHours: hoursAtService, level: 'A', notes: 'oil filter and air-filter element replaced' });
    expect(done).toMatchObject({
      status: 'done',
      completion: { level: 'A', runningHours: hoursAtService, notes: 'oil filter and air-filter element replaced', technician: { id: sam.id }, partsUsed: wo.partsPlanned },
    });
    expect(done.serviceReset?.judgmentId).toMatch(/^jdg_/);

    // The device receives service_reset and acknowledges it: the ack shows on the work order.
    const acked = await waitFor(async () => {
      const w = await api(`/api/work-orders/${wo.id}`, workOrderDetailSchema);
      return w.serviceReset?.status === 'applied' ? w : undefined;
    }, 'service_reset applied by the device');
    expect(acked.serviceReset?.ack?.result).toBe('applied');
    expect(acked.serviceReset?.ack?.reason).toMatch(new RegExp(`^service level A recorded at .* \\(work order ${wo.id}\\): counters A restarted`));

    // Its next telemetry shows the A counter restarted (B and C untouched).
    const after = await waitFor(async () => {
      const m = await latestMetrics(d.id);
      return m && m.serviceHoursA! < 1 ? m : undefined;
    }, 'telemetry with serviceHoursA reset');
    expect(after.serviceHoursB).toBeGreaterThan(100);

    // The plan shows the next due date moved on; the overdue alarm is cleared; the task left the inbox.
    const planAfter: DeviceMaintenance = await api(`/api/devices/${d.id}/maintenance`, deviceMaintenanceSchema);
    const aAfter = planAfter.levels.find((l) => l.level === 'A')!;
    expect(aAfter).toMatchObject({ overdue: false, lastSource: 'service' });
    expect(aAfter.lastServiceHours!).toBeGreaterThanOrEqual(2150);
    expect(aAfter.nextDueHours).toBe(aAfter.lastServiceHours! + 2000);
    expect(Date.parse(aAfter.dueAt!)).toBeGreaterThan(Date.now() + 100 * DAY);
    expect(Date.parse(aAfter.dueAt!)).toBeGreaterThan(Date.parse(aBefore.dueAt!));
    const cleared = await api(`/api/alarms?deviceId=${d.id}&state=all`, alarmsResponseSchema);
    expect(cleared.items.find((a) => a.id === overdueAlarm.id)?.state).toBe('cleared');
    const inboxAfter = await api('/api/service/inbox', inboxResponseSchema);
    expect(inboxAfter.items.find((i) => i.key === item!.key)).toBeUndefined();

    // Audit: who, when, what — each lifecycle step, then the device's own answer.
    const detail: WorkOrderDetail = await waitFor(async () => {
      const w = await api(`/api/work-orders/${wo.id}`, workOrderDetailSchema);
      return w.audit.some((a) => a.action === 'device_ack') ? w : undefined;
    }, 'device ack in the audit trail');
    expect(detail.audit.map((a) => a.action)).toEqual(['create', 'schedule', 'start', 'complete', 'device_ack']);
    expect(detail.audit.slice(0, 4).every((a) => a.actor?.id === sam.id)).toBe(true);
    expect(detail.audit[1]!.changes.status).toEqual({ before: 'open', after: 'scheduled' });
    expect(detail.audit[1]!.changes.technicianId).toEqual({ before: null, after: sam.id });
    expect(detail.audit[3]!.changes.status).toEqual({ before: 'in_progress', after: 'done' });
    expect(detail.audit[4]).toMatchObject({ actor: null, changes: { deviceAck: { after: { result: 'applied' } } } });

    // The machine's service history has it with parts, hours, technician and the device's answer.
    const history = await api(`/api/devices/${d.id}/service-history`, serviceHistoryResponseSchema);
    expect(history.items[0]).toMatchObject({ source: 'work_order', workOrderId: wo.id, level: 'A', levelsReset: ['first', 'A'], runningHours: hoursAtService, technician: { id: sam.id }, deviceAck: 'applied' });

    // Every change went out on the platform bus for notifications and the live channel.
    const statuses = events.filter((e) => e.type === 'work_order' && (e.payload as WorkOrder).id === wo.id).map((e) => (e.payload as WorkOrder).status);
    expect(statuses.slice(0, 4)).toEqual(['open', 'scheduled', 'in_progress', 'done']);
  });
});
