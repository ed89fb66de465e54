import type { PartCategory } from '@airfleet/contracts';

/**
 * The product families of AirFleet's fictional parts catalogue (shared types here, with the
 * filter and fluid families): sizes and variants as data, turned into parts by parts-catalogue.data.ts. Numbers are `PPPP SSSS VV`
 * (family prefix, serial within the family, variant); families whose prefix starts with 0
 * (valves, sensors, drains) are where a typed number loses its leading zero.
 */

export type Unit = 'piece' | 'set' | 'litre' | 'kg';

export interface PartSpec {
  category: PartCategory;
  /** 4-digit family prefix. */
  prefix: string;
  /** Serial within the family (0–9999) and variant (0–99). */
  serial: number;
  variant: number;
  nameEn: string;
  nameZh: string;
  /** One sentence of use; the generator appends the fitting models. */
  useEn: string;
  useZh: string;
  unit: Unit;
  packSize: number;
  weightKg: number;
  /** Base list price (EUR) before the seeded ±6 % spread. */
  priceEur: number;
  /** False: "price on request" (motors, coolers). */
  pricePublic: boolean;
  /** Compressor power range this part serves, kW (fits the models whose nominal power is inside). */
  kw: [number, number];
  /** Identifies the family member a BOM or kit picks, e.g. `oil_filter` for the standard oil filter. */
  role?: string;
}

/** Nominal motor sizes of oil-injected screw compressors, kW (IEC). */
export const KW_STEPS = [4, 5.5, 7.5, 11, 15, 18.5, 22, 30, 37, 45, 55, 75, 90, 110, 132, 160, 200, 250] as const;

/** Size classes shared by filters and separators: each covers a band of compressor power. */
const FILTER_CLASSES: Array<[number, number]> = [
  [4, 7.5], [11, 15], [18.5, 37], [45, 55], [75, 90], [110, 132], [160, 200], [250, 250],
];

export function* filterFamilies(): Generator<PartSpec> {
  // Oil filters: spin-on up to 90 kW, cartridge above; 3 micron ratings, 2 gasket materials.
  const microns = [10, 15, 25];
  const gaskets = [['NBR', '丁腈橡胶'], ['FKM', '氟橡胶']] as const;
  let s = 10;
  for (const [lo, hi] of FILTER_CLASSES) {
    const spin = hi <= 90;
    for (const [mi, micron] of microns.entries()) {
      for (const [gi, [gEn, gZh]] of gaskets.entries()) {
        const std = mi === 0 && gi === 0;
        yield {
          category: 'oil_filter', prefix: '4711', serial: s, variant: mi * 10 + gi,
          nameEn: `Oil filter ${spin ? 'spin-on' : 'cartridge'}, ${micron} µm, ${gEn} gasket, ${lo}–${hi} kW`,
          nameZh: `油过滤器，${spin ? '旋装式' : '滤芯式'}，${micron} µm，${gZh}密封圈，${lo}–${hi} kW`,
          useEn: 'Removes wear particles from the injection oil; change with every A service.',
          useZh: '过滤喷油中的磨损颗粒；每次 A 级保养更换。',
          unit: 'piece', packSize: 1, weightKg: round(0.4 + hi / 120), priceEur: 18 + hi * 0.55 + micron * 0.2,
          pricePublic: true, kw: [lo, hi], role: std ? 'oil_filter' : undefined,
        };
      }
    }
    s += 10;
  }
  // Air-filter elements: standard, heavy-duty (dusty sites, docs/domain.md §5), pre-filter mats.
  const airTypes = [
    ['standard', '标准型', 'air_filter', 1],
    ['heavy-duty, dusty sites', '重载型，适用多尘环境', undefined, 1.35],
    ['with safety cartridge', '带安全滤芯', undefined, 1.6],
  ] as const;
  s = 10;
  for (const [lo, hi] of FILTER_CLASSES) {
    for (const [ti, [tEn, tZh, role, f]] of airTypes.entries()) {
      for (const [li, len] of [0, 1].entries()) {
        const height = Math.round(160 + hi * 1.4 + len * 60);
        yield {
          category: 'air_filter', prefix: '4712', serial: s, variant: ti * 10 + li,
          nameEn: `Air-filter element, ${tEn}, H ${height} mm, ${lo}–${hi} kW`,
          nameZh: `空气滤芯，${tZh}，高 ${height} mm，${lo}–${hi} kW`,
          useEn: 'Intake air filtration, 99.9 % at 3 µm; replace at 50 mbar ΔP or every A service.',
          useZh: '进气过滤，3 µm 过滤效率 99.9%；压差达 50 mbar 或每次 A 级保养时更换。',
          unit: 'piece', packSize: 1, weightKg: round(0.6 + hi / 60), priceEur: (22 + hi * 0.7) * f,
          pricePublic: true, kw: [lo, hi], role: li === 0 ? role : undefined,
        };
      }
      yield {
        category: 'air_filter', prefix: '4712', serial: s + 5, variant: ti,
        nameEn: `Pre-filter mat for canopy intake, ${tEn}, ${lo}–${hi} kW`,
        nameZh: `机罩进气预过滤棉，${tZh}，${lo}–${hi} kW`,
        useEn: 'Keeps lint and coarse dust out of the canopy and cooler.',
        useZh: '阻挡纤维和粗粉尘进入机罩和冷却器。',
        unit: 'piece', packSize: 1, weightKg: 0.2, priceEur: 9 + hi * 0.08, pricePublic: true, kw: [lo, hi],
      };
    }
    s += 10;
  }
  // Separator elements: spin-on up to 37 kW, drop-in above; standard and long-life media.
  s = 10;
  for (const [lo, hi] of FILTER_CLASSES) {
    const spin = hi <= 37;
    for (const [vi, [vEn, vZh, f]] of ([['standard', '标准型', 1], ['long-life 8000 h', '长寿命 8000 h', 1.45], ['food-grade compatible', '兼容食品级润滑油', 1.2]] as const).entries()) {
      for (const [ri, residual] of [3, 1].entries()) {
        yield {
          category: 'separator', prefix: '4713', serial: s, variant: vi * 10 + ri,
          nameEn: `Oil separator element, ${spin ? 'spin-on' : 'drop-in'}, ${vEn}, ≤ ${residual} mg/m³ residual oil, ${lo}–${hi} kW`,
          nameZh: `油气分离器滤芯，${spin ? '旋装式' : '内置式'}，${vZh}，残油量 ≤ ${residual} mg/m³，${lo}–${hi} kW`,
          useEn: 'Separates oil from the compressed air; replace at 0.7 bar ΔP or every B service.',
          useZh: '从压缩空气中分离润滑油；压差达 0.7 bar 或每次 B 级保养时更换。',
          unit: 'piece', packSize: 1, weightKg: round(1.2 + hi / 25), priceEur: (60 + hi * 2.2) * f * (residual === 1 ? 1.15 : 1),
          pricePublic: true, kw: [lo, hi], role: vi === 0 && ri === 0 ? 'separator' : undefined,
        };
      }
    }
    s += 10;
  }
  // Compressed-air line filters: 6 grades × 32 flow sizes × (element, complete housing).
  const grades = [
    ['WS', 'water separator', '水分离器', 'bulk liquid'],
    ['G', 'general purpose 1 µm', '通用级 1 µm', '1 µm, 0.5 mg/m³'],
    ['H', 'high efficiency 0.01 µm', '高效级 0.01 µm', '0.01 µm, 0.01 mg/m³'],
    ['D', 'dust 1 µm', '除尘级 1 µm', '1 µm dust'],
    ['AC', 'activated carbon', '活性炭', 'oil vapour 0.003 mg/m³'],
    ['S', 'sterile', '无菌级', '0.01 µm, steam-sterilisable'],
  ] as const;
  const gradeZh: Record<string, string> = { WS: '液态水', G: '1 µm，0.5 mg/m³', H: '0.01 µm，0.01 mg/m³', D: '1 µm 粉尘', AC: '油蒸气 0.003 mg/m³', S: '0.01 µm，可蒸汽灭菌' };
  for (let size = 0; size < 32; size++) {
    const flow = Math.round(10 * Math.pow(1.2, size)); // l/s, 10 … ~2800
    const kwMax = flow / 2.8; // ≈ 2.8 l/s per kW of compressor
    for (const [gi, [code, gEn, gZh, spec]] of grades.entries()) {
      for (const [pi, [pEn, pZh]] of ([['element', '滤芯'], ['complete with housing', '含壳体总成']] as const).entries()) {
        yield {
          category: 'line_filter', prefix: '4714', serial: 100 + size * 10 + gi, variant: pi,
          nameEn: `Line filter ${code} ${flow} l/s, ${gEn}, ${pEn}`,
          nameZh: `管路过滤器 ${code} ${flow} l/s，${gZh}，${pZh}`,
          useEn: `Compressed-air treatment downstream of the compressor (${spec}).`,
          useZh: `压缩机下游压缩空气净化（${gradeZh[code]}）。`,
          unit: 'piece', packSize: 1, weightKg: round((0.3 + flow / 400) * (pi ? 4 : 1)),
          priceEur: (25 + flow * 0.25) * (pi ? 3.2 : 1) * (code === 'S' ? 2 : code === 'AC' ? 1.4 : 1),
          pricePublic: true, kw: [Math.max(4, kwMax * 0.5), kwMax],
        };
      }
    }
  }
}

export function* fluidFamilies(): Generator<PartSpec> {
  const fluids = [
    ['Rotor Oil M46, mineral, 2000 h', 'M46 转子油，矿物油，2000 h', 'mineral', 4.2, 'oil_mineral'],
    ['Rotor Oil S46, synthetic, 4000 h', 'S46 转子油，合成油，4000 h', 'synthetic', 9.5, 'oil'],
    ['Rotor Oil S46 Plus, synthetic, 8000 h', 'S46 Plus 转子油，合成油，8000 h', 'synthetic', 13.8, undefined],
    ['Rotor Oil FG46, food-grade NSF H1', 'FG46 转子油，食品级 NSF H1', 'food-grade', 15.5, undefined],
    ['Rotor Oil S68, synthetic, hot sites', 'S68 转子油，合成油，高温环境', 'synthetic', 11.2, undefined],
  ] as const;
  const packs = [5, 20, 208];
  for (const [fi, [en, zh, base, perL, role]] of fluids.entries()) {
    for (const [pi, litres] of packs.entries()) {
      yield {
        category: 'oil', prefix: '4721', serial: 10 + fi * 10, variant: pi,
        nameEn: `${en}, ${litres} L ${litres === 208 ? 'drum' : 'can'}`,
        nameZh: `${zh}，${litres} L ${litres === 208 ? '桶装' : '罐装'}`,
        useEn: `Compressor injection oil (${base}) for oil-injected screw compressors.`,
        useZh: `喷油螺杆压缩机专用${base === 'mineral' ? '矿物' : base === 'food-grade' ? '食品级' : '合成'}润滑油。`,
        unit: 'litre', packSize: litres, weightKg: round(litres * 0.87 + (litres === 208 ? 18 : 0.4)),
        priceEur: perL * litres * (litres === 208 ? 0.85 : litres === 20 ? 0.92 : 1), pricePublic: true, kw: [4, 250],
        role: role && litres === 20 ? role : undefined,
      };
    }
  }
  for (const [gi, [en, zh, role]] of ([['Motor bearing grease, polyurea', '电机轴承润滑脂，聚脲基', 'grease'], ['Motor bearing grease, lithium complex', '电机轴承润滑脂，复合锂基', undefined], ['Bearing grease, food-grade NSF H1', '轴承润滑脂，食品级 NSF H1', undefined]] as const).entries()) {
    for (const [pi, kg] of [0.4, 1, 5].entries()) {
      yield {
        category: 'grease', prefix: '4722', serial: 10 + gi * 10, variant: pi,
        nameEn: `${en}, ${kg} kg ${kg < 1 ? 'cartridge' : 'tin'}`,
        nameZh: `${zh}，${kg} kg ${kg < 1 ? '油枪管' : '罐装'}`,
        useEn: 'Relubrication of the drive motor bearings at every C service.',
        useZh: '每次 C 级保养时补充驱动电机轴承润滑脂。',
        unit: 'kg', packSize: kg, weightKg: kg, priceEur: 14 + kg * 21, pricePublic: true, kw: [4, 250], role: role && pi === 0 ? role : undefined,
      };
    }
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
export { round as round2 };
