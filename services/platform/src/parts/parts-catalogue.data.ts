import { COMPRESSOR_MODELS, type CompressorModel, type PartCategory } from '@airfleet/contracts';
import { KW_STEPS, filterFamilies, fluidFamilies, round2, type PartSpec, type Unit } from './parts-catalogue-filters.data.ts';
import { driveFamilies } from './parts-catalogue-drive.data.ts';
import { drainFamilies, sensorFamilies, valveFamilies } from './parts-catalogue-valves.data.ts';

/**
 * AirFleet's fictional parts catalogue, generated deterministically (docs/parts.md): the same
 * input always yields the same rows, so the catalogue is reference data that a release can
 * correct and every database converges to (syncParts compares a hash of this output).
 * Randomness only from a seeded PRNG (price spread, which parts were superseded).
 */

export interface CataloguePart {
  number: string;
  category: PartCategory;
  nameEn: string;
  nameZh: string;
  descriptionEn: string;
  descriptionZh: string;
  unit: Unit;
  packSize: number;
  weightKg: number;
  listPriceEur: number | null;
  listPricePublic: boolean;
  /** Internal purchasing cost: stored, never shown by the public lookup. */
  costPriceEur: number;
  /** Model ids this part fits. */
  fits: string[];
  superseded: boolean;
}

export interface CatalogueSupersession {
  oldNumber: string;
  newNumber: string;
  since: string;
}

export interface CatalogueBomLine {
  modelId: string;
  position: number;
  assembly: 'intake' | 'airend' | 'oil_circuit' | 'separation' | 'cooling' | 'drive' | 'control' | 'condensate';
  partNumber: string;
  quantity: number;
}

export interface CatalogueKit {
  kitNumber: string;
  modelId: string;
  level: 'first' | 'A' | 'B' | 'C';
  items: Array<{ partNumber: string; quantity: number }>;
}

export interface PartsCatalogue {
  parts: CataloguePart[];
  supersessions: CatalogueSupersession[];
  bom: CatalogueBomLine[];
  kits: CatalogueKit[];
}

/** Bump when the shape of the generated rows changes (part of the stored version hash). */
export const PARTS_CATALOGUE_FORMAT = 1;
const SEED = 0x5eed_a1f1;

/** mulberry32 (public-domain, T. Ettinger): small, fast, good enough for seed data and test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The standard IEC motor size of a model (rated input 24.5 kW → a 22 kW compressor). */
export function nominalKw(model: CompressorModel): number {
  return [...KW_STEPS].reverse().find((k) => k <= model.ratedPowerKw) ?? KW_STEPS[0];
}

function fitsModels(spec: PartSpec, models: readonly CompressorModel[]): string[] {
  return models.filter((m) => nominalKw(m) >= spec.kw[0] - 1e-6 && nominalKw(m) <= spec.kw[1] + 1e-6).map((m) => m.id);
}

function withFits(en: string, zh: string, fits: readonly string[]): [string, string] {
  if (fits.length === 0) return [en, zh];
  return [`${en} Fits ${fits.join(', ')}.`, `${zh}适配机型：${fits.join('、')}。`];
}

/** Oil fill of a model in 20 L cans (docs/domain.md §5). */
function oilCans(kw: number): number {
  return kw <= 37 ? 1 : kw <= 75 ? 2 : 3;
}

const KIT_TEXT: Record<CatalogueKit['level'], [string, string]> = {
  first: ['first service (500 h)', '首次保养（500 小时）'],
  A: ['A service: oil filter, air-filter element', 'A 级保养：油过滤器、空气滤芯'],
  B: ['B service: level A + oil separator element + oil', 'B 级保养：A 级内容 + 油气分离器滤芯 + 润滑油'],
  C: ['C service: level B + minimum pressure and thermostatic valve kits, drain kit, motor bearing grease', 'C 级保养：B 级内容 + 最小压力阀和温控阀维修包、排水器维修包、电机轴承润滑脂'],
};

export function generatePartsCatalogue(models: readonly CompressorModel[] = COMPRESSOR_MODELS): PartsCatalogue {
  const rand = mulberry32(SEED);
  const parts: CataloguePart[] = [];
  const byNumber = new Map<string, CataloguePart>();
  const roles = new Map<string, Array<{ spec: PartSpec; part: CataloguePart }>>();

  const add = (part: CataloguePart): void => {
    if (byNumber.has(part.number)) throw new Error(`duplicate part number ${part.number}`);
    byNumber.set(part.number, part);
    parts.push(part);
  };

  const specs = [...filterFamilies(), ...fluidFamilies(), ...valveFamilies(), ...sensorFamilies(), ...drainFamilies(), ...driveFamilies()];
  for (const spec of specs) {
    const fits = fitsModels(spec, models);
    const [descriptionEn, descriptionZh] = withFits(spec.useEn, spec.useZh, fits);
    const list = Math.round(spec.priceEur * (0.94 + rand() * 0.12) * 2) / 2 - 0.1;
    const part: CataloguePart = {
      number: `${spec.prefix}${pad(spec.serial, 4)}${pad(spec.variant, 2)}`,
      category: spec.category,
      nameEn: spec.nameEn,
      nameZh: spec.nameZh,
      descriptionEn,
      descriptionZh,
      unit: spec.unit,
      packSize: spec.packSize,
      weightKg: spec.weightKg,
      listPriceEur: round2(list),
      listPricePublic: spec.pricePublic,
      costPriceEur: round2(list * (0.48 + rand() * 0.14)),
      fits,
      superseded: false,
    };
    add(part);
    if (spec.role) roles.set(spec.role, [...(roles.get(spec.role) ?? []), { spec, part }]);
  }

  // Per model: the standard part of each role that serves its size.
  const pick = (role: string, model: CompressorModel): CataloguePart => {
    const kw = nominalKw(model);
    const hit = roles.get(role)?.find(({ spec }) => kw >= spec.kw[0] - 1e-6 && kw <= spec.kw[1] + 1e-6);
    if (!hit) throw new Error(`no ${role} part for ${model.id}`);
    return hit.part;
  };

  const bom: CatalogueBomLine[] = [];
  const kits: CatalogueKit[] = [];
  for (const model of models) {
    const kw = nominalKw(model);
    const lines: Array<[CatalogueBomLine['assembly'], string, number]> = [
      ['intake', 'air_filter', 1],
      ['intake', 'inlet', 1],
      ['intake', 'solenoid', 1],
      ['airend', 'temp_sensor', 1],
      ['oil_circuit', 'oil_filter', 1],
      ['oil_circuit', 'tv', 1],
      ['oil_circuit', 'oil', oilCans(kw)],
      ['separation', 'separator', 1],
      ['separation', 'mpv', 1],
      ['separation', 'safety', 1],
      ['cooling', 'oil_cooler', 1],
      ['cooling', 'aftercooler', 1],
      ['cooling', 'fan', 1],
      ['drive', 'motor', 1],
      ['drive', 'coupling_element', 1],
      ['drive', 'grease', 1],
      ['control', 'pressure_sensor', 2],
      ['control', 'temp_sensor', 1],
      ['condensate', 'drain', 1],
    ];
    lines.forEach(([assembly, role, quantity], i) => {
      bom.push({ modelId: model.id, position: (i + 1) * 10, assembly, partNumber: pick(role, model).number, quantity });
    });

    // Kits: exactly the numbers of the model's service plan (contracts' models.data.ts), docs/domain.md §5.
    const a: Array<[string, number]> = [['oil_filter', 1], ['air_filter', 1]];
    const b: Array<[string, number]> = [...a, ['separator', 1], ['oil', oilCans(kw)]];
    const c: Array<[string, number]> = [...b, ['mpv_kit', 1], ['tv_kit', 1], ['drain_kit', 1], ['grease', 1]];
    for (const level of model.servicePlan.levels) {
      level.kit.forEach((kitNumber, index) => {
        const contents =
          level.level === 'first' ? (index === 0 ? [['oil', oilCans(kw)] as [string, number]] : [['oil_filter', 1] as [string, number]])
          : level.level === 'A' ? a
          : level.level === 'B' ? b
          : c;
        const items = contents.map(([role, quantity]) => ({ partNumber: pick(role, model).number, quantity }));
        kits.push({ kitNumber, modelId: model.id, level: level.level, items });
        const members = items.map((it) => ({ part: byNumber.get(it.partNumber)!, quantity: it.quantity }));
        const sum = members.reduce((s, m) => s + (m.part.listPriceEur ?? 0) * m.quantity, 0);
        const [textEn, textZh] = KIT_TEXT[level.level];
        const what = level.level === 'first' ? (index === 0 ? ['oil', '润滑油'] : ['oil filter', '油过滤器']) : null;
        const due = `Due every ${level.intervalHours} h${level.intervalMonths ? ` or ${level.intervalMonths} months` : ''}, whichever comes first.`;
        const dueZh = `每 ${level.intervalHours} 小时${level.intervalMonths ? `或 ${level.intervalMonths} 个月（以先到者为准）` : ''}。`;
        const [descEn, descZh] = withFits(`${model.id} ${textEn}. ${due}`, `${model.id} ${textZh}。${dueZh}`, [model.id]);
        add({
          number: kitNumber,
          category: 'service_kit',
          nameEn: level.level === 'first' ? `First-service kit for ${model.id}: ${what?.[0] ?? ''}` : `Service kit ${level.level} for ${model.id}`,
          nameZh: `${model.id} ${level.level === 'first' ? '首次' : `${level.level} 级`}保养包${what ? `：${what[1]}` : ''}`,
          descriptionEn: descEn,
          descriptionZh: descZh,
          unit: 'set',
          packSize: 1,
          weightKg: round2(members.reduce((s, m) => s + m.part.weightKg * m.quantity, 0)),
          // A kit costs less than its parts bought one by one.
          listPriceEur: round2(Math.round(sum * 0.92 * 2) / 2 - 0.1),
          listPricePublic: true,
          costPriceEur: round2(sum * 0.5),
          fits: [model.id],
          superseded: false,
        });
      });
    }
  }

  // Supersessions: some parts replaced an earlier number, a few through two steps (A → B → C).
  // The standard oil filters always carry a two-step history (the lookup's worked example).
  const supersessions: CatalogueSupersession[] = [];
  const oldSerial = new Map<string, number>();
  let day = 0;
  const predecessor = (current: CataloguePart, template: CataloguePart = current): CataloguePart => {
    const prefix = current.number.slice(0, 4);
    const serial = (oldSerial.get(prefix) ?? 5000) + 1;
    oldSerial.set(prefix, serial);
    const old: CataloguePart = {
      ...template,
      number: `${prefix}${pad(serial, 4)}${current.number.slice(8)}`,
      nameEn: `${template.nameEn} (earlier version)`,
      nameZh: `${template.nameZh}（旧版）`,
      listPriceEur: null,
      listPricePublic: false,
      superseded: true,
    };
    add(old);
    day += 3;
    supersessions.push({ oldNumber: old.number, newNumber: current.number, since: new Date(Date.UTC(2019, 0, 1) + day * 86_400_000).toISOString().slice(0, 10) });
    return old;
  };
  const alwaysTwo = new Set(models.map((m) => pick('oil_filter', m).number));
  for (const part of [...parts]) {
    if (part.category === 'service_kit' || part.superseded) continue;
    const r = rand();
    if (!alwaysTwo.has(part.number) && r >= 0.08) continue;
    const mid = predecessor(part);
    if (alwaysTwo.has(part.number) || r < 0.025) predecessor(mid, part);
  }
  return { parts, supersessions, bom, kits };
}
