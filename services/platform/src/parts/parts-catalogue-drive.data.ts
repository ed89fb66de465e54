import { KW_STEPS, round2, type PartSpec } from './parts-catalogue-filters.data.ts';

/** Motors (4731), fan motors (4732), couplings (4733), belts (4734), coolers (4735). */
export function* driveFamilies(): Generator<PartSpec> {
  for (const [ki, kw] of KW_STEPS.entries()) {
    for (const [pi, poles] of [2, 4].entries()) {
      for (const [ei, eff] of ['IE3', 'IE4'].entries()) {
        // 60 Hz windings for the Americas; 690 V only where large motors use it.
        const voltages = kw >= 75 ? ['400 V 50 Hz', '460 V 60 Hz', '690 V 50 Hz'] : ['400 V 50 Hz', '460 V 60 Hz'];
        for (const [vi, volt] of voltages.entries()) {
          for (const [mi, [mEn, mZh]] of ([['B3 foot', 'B3 底脚式'], ['B35 foot/flange', 'B35 底脚法兰式']] as const).entries()) {
            yield {
              category: 'motor', prefix: '4731', serial: 100 + ki * 10 + pi * 2 + ei, variant: vi * 10 + mi,
              nameEn: `Drive motor ${kw} kW, ${poles}-pole, ${eff}, ${volt}, IP55, ${mEn}`,
              nameZh: `驱动电机 ${kw} kW，${poles} 极，${eff}，${volt}，IP55，${mZh}`,
              useEn: 'Main drive motor, insulation class F, thermistors fitted.',
              useZh: '主驱动电机，F 级绝缘，内置热敏电阻。',
              unit: 'piece', packSize: 1, weightKg: round2(18 + kw * 6.5 * (poles === 4 ? 1.15 : 1)),
              priceEur: (350 + kw * 48) * (eff === 'IE4' ? 1.3 : 1), pricePublic: false, kw: [kw, kw],
              role: poles === 4 && eff === 'IE3' && vi === 0 && mi === 0 ? 'motor' : undefined,
            };
          }
        }
      }
    }
  }
  for (const [fi, watt] of [120, 250, 370, 550, 750, 1100, 1500, 2200, 3000, 4000].entries()) {
    for (const [vi, volt] of ['230 V', '400 V'].entries()) {
      yield {
        category: 'motor', prefix: '4732', serial: 100 + fi, variant: vi,
        nameEn: `Cooling fan motor ${watt} W, ${volt}, with impeller`,
        nameZh: `冷却风扇电机 ${watt} W，${volt}，带叶轮`,
        useEn: 'Drives the cooler fan of air-cooled compressors.',
        useZh: '驱动风冷压缩机的冷却风扇。',
        unit: 'piece', packSize: 1, weightKg: round2(3 + watt / 150), priceEur: 140 + watt * 0.22, pricePublic: false,
        kw: [KW_STEPS[Math.min(fi * 2, 17)]!, KW_STEPS[Math.min(fi * 2 + 2, 17)]!],
        role: vi === 1 ? 'fan' : undefined,
      };
    }
  }
  // Couplings: elastic elements by size, hubs by size × bore, complete couplings.
  const sizes = [19, 24, 28, 38, 42, 48, 55, 65, 75, 90, 100, 110, 125, 140, 160];
  for (const [si, size] of sizes.entries()) {
    const lo = KW_STEPS[Math.min(si, 17)]!;
    const hi = KW_STEPS[Math.min(si + 3, 17)]!;
    for (const [hi2, [hEn, hZh]] of ([['92 Shore A', '92 邵氏 A'], ['98 Shore A', '98 邵氏 A'], ['64 Shore D', '64 邵氏 D']] as const).entries()) {
      yield {
        category: 'coupling', prefix: '4733', serial: 100 + si, variant: hi2,
        nameEn: `Coupling spider (elastic element) size ${size}, ${hEn}`,
        nameZh: `联轴器弹性体（梅花垫）${size} 号，${hZh}`,
        useEn: 'Elastic element between motor and airend; inspect at every C service.',
        useZh: '电机与主机之间的弹性元件；每次 C 级保养时检查。',
        unit: 'piece', packSize: 1, weightKg: round2(0.05 + size / 400), priceEur: 12 + size * 0.6, pricePublic: true, kw: [lo, hi],
        role: hi2 === 1 ? 'coupling_element' : undefined,
      };
    }
    for (const [bi, bore] of [0.35, 0.5, 0.65].entries()) {
      const mm = Math.round(size * bore + 8);
      yield {
        category: 'coupling', prefix: '4733', serial: 300 + si, variant: bi,
        nameEn: `Coupling hub size ${size}, bore ${mm} mm H7 with keyway`,
        nameZh: `联轴器半联 ${size} 号，孔径 ${mm} mm H7，带键槽`,
        useEn: 'Shaft hub for the motor or airend side.', useZh: '电机侧或主机侧轴套。',
        unit: 'piece', packSize: 1, weightKg: round2(0.3 + size / 30), priceEur: 40 + size * 1.6, pricePublic: true, kw: [lo, hi],
      };
    }
  }
  // Belts: narrow V-belts (ISO 4184) in standard datum lengths, single and matched sets.
  const profiles = [['SPZ', 630, 3550, 4], ['SPA', 800, 4500, 6], ['SPB', 1250, 8000, 9], ['SPC', 2000, 12500, 15]] as const;
  for (const [pi, [profile, minL, maxL, base]] of profiles.entries()) {
    let n = 0;
    for (let len = minL; len <= maxL; len = Math.round((len * 1.06) / 10) * 10) {
      for (const [si, count] of [1, 2, 3, 4].entries()) {
        yield {
          category: 'belt', prefix: '4734', serial: 100 + pi * 100 + n, variant: si,
          nameEn: count === 1 ? `V-belt ${profile} ${len} Ld, narrow section` : `V-belt matched set ${count} × ${profile} ${len} Ld`,
          nameZh: count === 1 ? `窄 V 带 ${profile} ${len} Ld` : `配组 V 带 ${count} × ${profile} ${len} Ld`,
          useEn: 'Belt-driven models: replace as a matched set, re-tension after 50 h.',
          useZh: '皮带传动机型：成组更换，运行 50 小时后重新张紧。',
          unit: count === 1 ? 'piece' : 'set', packSize: 1, weightKg: round2((len / 1000) * (0.07 + pi * 0.08) * count),
          priceEur: (base + len * 0.006 * (pi + 1)) * count * (count > 1 ? 1.08 : 1), pricePublic: true,
          kw: [KW_STEPS[pi * 3]!, KW_STEPS[pi * 3 + 7]!],
        };
      }
      n++;
    }
  }
  // Coolers: oil coolers and aftercoolers, air- and water-cooled; combined blocks.
  for (const [ki, kw] of KW_STEPS.entries()) {
    for (const [ci, [cEn, cZh]] of ([['air-cooled', '风冷'], ['water-cooled, plate', '水冷，板式']] as const).entries()) {
      yield {
        category: 'cooler', prefix: '4735', serial: 100 + ki, variant: ci,
        nameEn: `Oil cooler ${cEn}, for ${kw} kW`,
        nameZh: `油冷却器，${cZh}，适用 ${kw} kW`,
        useEn: 'Removes the compression heat from the injection oil.',
        useZh: '带走喷油中的压缩热。',
        unit: 'piece', packSize: 1, weightKg: round2(6 + kw * 0.5), priceEur: 280 + kw * 14 * (ci ? 1.3 : 1), pricePublic: false, kw: [kw, kw],
        role: ci === 0 ? 'oil_cooler' : undefined,
      };
      yield {
        category: 'cooler', prefix: '4736', serial: 100 + ki, variant: ci,
        nameEn: `Aftercooler ${cEn}, for ${kw} kW, ΔT approach 8 K`,
        nameZh: `后冷却器，${cZh}，适用 ${kw} kW，出口温差 8 K`,
        useEn: 'Cools the compressed air after compression and drops out most of the water.',
        useZh: '冷却压缩后的空气并析出大部分水分。',
        unit: 'piece', packSize: 1, weightKg: round2(5 + kw * 0.45), priceEur: 260 + kw * 12 * (ci ? 1.3 : 1), pricePublic: false, kw: [kw, kw],
        role: ci === 0 ? 'aftercooler' : undefined,
      };
    }
    yield {
      category: 'cooler', prefix: '4737', serial: 100 + ki, variant: 0,
      nameEn: `Combined oil cooler / aftercooler block, for ${kw} kW`,
      nameZh: `油冷却器 / 后冷却器组合散热器，适用 ${kw} kW`,
      useEn: 'One aluminium block for oil and air, common on air-cooled packages.',
      useZh: '油、气共用的铝制散热器，常见于风冷机组。',
      unit: 'piece', packSize: 1, weightKg: round2(9 + kw * 0.8), priceEur: 480 + kw * 22, pricePublic: false, kw: [kw, kw],
    };
  }
}
