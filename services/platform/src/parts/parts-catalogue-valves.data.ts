import { KW_STEPS, round2, type PartSpec } from './parts-catalogue-filters.data.ts';

/** Port size (DN) that suits a compressor of this power. */
function dnFor(kw: number): number {
  return kw <= 11 ? 15 : kw <= 22 ? 20 : kw <= 37 ? 25 : kw <= 55 ? 32 : kw <= 90 ? 40 : kw <= 132 ? 50 : kw <= 200 ? 65 : 80;
}
const DNS = [15, 20, 25, 32, 40, 50, 65, 80] as const;
/** The kW band a DN serves (inverse of dnFor). */
function kwBand(dn: number): [number, number] {
  const kws = KW_STEPS.filter((k) => dnFor(k) === dn);
  return [kws[0] ?? 4, kws[kws.length - 1] ?? 250];
}

/** Valves (0471), valve kits (0472), sensors (0481), drains (0491): prefixes with a leading zero. */
export function* valveFamilies(): Generator<PartSpec> {
  for (const [di, dn] of DNS.entries()) {
    const kw = kwBand(dn);
    for (const [pi, bar] of [4.5, 5.5].entries()) {
      yield {
        category: 'valve', prefix: '0471', serial: 100 + di, variant: pi,
        nameEn: `Minimum pressure valve DN${dn}, opens at ${bar} bar, with check function`,
        nameZh: `最小压力阀 DN${dn}，开启压力 ${bar} bar，带止回功能`,
        useEn: 'Keeps vessel pressure up for oil circulation and stops back-flow from the net.',
        useZh: '维持油气桶压力以保证油循环，并防止管网压缩空气倒流。',
        unit: 'piece', packSize: 1, weightKg: round2(0.8 + dn / 20), priceEur: 90 + dn * 6, pricePublic: true, kw,
        role: pi === 0 ? 'mpv' : undefined,
      };
      yield {
        category: 'valve_kit', prefix: '0472', serial: 100 + di, variant: pi,
        nameEn: `Minimum pressure valve service kit DN${dn} (${bar} bar): piston, spring, seals`,
        nameZh: `最小压力阀维修包 DN${dn}（${bar} bar）：活塞、弹簧、密封件`,
        useEn: 'Overhaul of the minimum pressure valve at every C service.',
        useZh: '每次 C 级保养时大修最小压力阀。',
        unit: 'set', packSize: 1, weightKg: round2(0.2 + dn / 200), priceEur: 35 + dn * 1.8, pricePublic: true, kw,
        role: pi === 0 ? 'mpv_kit' : undefined,
      };
    }
    for (const [ti, temp] of [60, 70, 75, 85].entries()) {
      yield {
        category: 'valve', prefix: '0471', serial: 200 + di, variant: ti,
        nameEn: `Thermostatic valve DN${dn}, ${temp} °C, complete`,
        nameZh: `温控阀 DN${dn}，${temp} °C，总成`,
        useEn: 'Routes oil through or around the oil cooler to hold the injection temperature.',
        useZh: '控制润滑油经过或旁通油冷却器，保持喷油温度。',
        unit: 'piece', packSize: 1, weightKg: round2(0.6 + dn / 25), priceEur: 80 + dn * 4.5, pricePublic: true, kw,
        role: temp === 70 ? 'tv' : undefined,
      };
      yield {
        category: 'valve_kit', prefix: '0472', serial: 200 + di, variant: ti,
        nameEn: `Thermostatic valve kit DN${dn}: ${temp} °C element, O-rings`,
        nameZh: `温控阀维修包 DN${dn}：${temp} °C 感温元件、O 形圈`,
        useEn: 'Renews the wax element of the thermostatic valve at every C service.',
        useZh: '每次 C 级保养时更换温控阀感温蜡元件。',
        unit: 'set', packSize: 1, weightKg: round2(0.15 + dn / 300), priceEur: 28 + dn * 1.3, pricePublic: true, kw,
        role: temp === 70 ? 'tv_kit' : undefined,
      };
    }
    for (const [ui, [uEn, uZh]] of ([['normally closed', '常闭'], ['normally open, with blow-down', '常开，带泄放']] as const).entries()) {
      const inletDn = dn * 2;
      yield {
        category: 'valve', prefix: '0471', serial: 300 + di, variant: ui,
        nameEn: `Inlet / unloader valve DN${inletDn}, ${uEn}`,
        nameZh: `进气阀（加卸载阀）DN${inletDn}，${uZh}`,
        useEn: 'Opens and closes the compressor intake for load and unload.',
        useZh: '控制压缩机进气口开闭，实现加载和卸载。',
        unit: 'piece', packSize: 1, weightKg: round2(1.5 + inletDn / 8), priceEur: 240 + inletDn * 7, pricePublic: true, kw,
        role: ui === 0 ? 'inlet' : undefined,
      };
      yield {
        category: 'valve_kit', prefix: '0472', serial: 300 + di, variant: ui,
        nameEn: `Inlet valve overhaul kit DN${inletDn} (${uEn}): diaphragm, piston seals, spring`,
        nameZh: `进气阀维修包 DN${inletDn}（${uZh}）：膜片、活塞密封、弹簧`,
        useEn: 'Overhaul of the inlet / unloader valve every 16 000 h or when it leaks.',
        useZh: '每 16000 小时或泄漏时大修进气阀。',
        unit: 'set', packSize: 1, weightKg: round2(0.3 + inletDn / 150), priceEur: 60 + inletDn * 1.5, pricePublic: true, kw,
      };
    }
    for (const [ci, [cEn, cZh]] of ([['check valve', '止回阀'], ['blow-down valve', '放空阀']] as const).entries()) {
      yield {
        category: 'valve', prefix: '0471', serial: 400 + di, variant: ci,
        nameEn: `${cEn === 'check valve' ? 'Check valve' : 'Blow-down valve'} DN${dn}, 16 bar`,
        nameZh: `${cZh} DN${dn}，16 bar`,
        useEn: cEn === 'check valve' ? 'Stops back-flow from the receiver into the compressor.' : 'Vents the oil vessel at stop and unload.',
        useZh: cEn === 'check valve' ? '防止储气罐压缩空气倒流入压缩机。' : '停机和卸载时释放油气桶压力。',
        unit: 'piece', packSize: 1, weightKg: round2(0.4 + dn / 30), priceEur: 45 + dn * 2.5, pricePublic: true, kw,
      };
    }
  }
  // Solenoid valves: function × port × coil voltage.
  const functions = [['2/2 NC', '二位二通常闭'], ['2/2 NO', '二位二通常开'], ['3/2 NC', '二位三通常闭']] as const;
  const ports = ['G1/8', 'G1/4', 'G3/8', 'G1/2'];
  const coils = [['24 V DC', '24 V 直流'], ['110 V AC', '110 V 交流'], ['230 V AC', '230 V 交流'], ['24 V AC', '24 V 交流']] as const;
  for (const [fi, [fEn, fZh]] of functions.entries()) {
    for (const [pi, port] of ports.entries()) {
      for (const [ci, [cEn, cZh]] of coils.entries()) {
        yield {
          category: 'valve', prefix: '0473', serial: 100 + fi * 10 + pi, variant: ci,
          nameEn: `Solenoid valve ${fEn}, ${port}, ${cEn} coil`,
          nameZh: `电磁阀 ${fZh}，${port}，${cZh}线圈`,
          useEn: 'Pilot control of the inlet valve and blow-down; also drain and cooling-water control.',
          useZh: '用于进气阀和放空的先导控制，以及排水和冷却水控制。',
          unit: 'piece', packSize: 1, weightKg: round2(0.3 + pi * 0.1), priceEur: 48 + pi * 9 + fi * 6, pricePublic: true, kw: [4, 250],
          role: fi === 0 && pi === 1 && ci === 0 ? 'solenoid' : undefined,
        };
      }
    }
  }
  // Safety (relief) valves: set pressure × inlet thread, CE/PED marked.
  const sets = [8, 9, 10, 11, 13, 14, 16, 18, 20];
  const threads = ['G1/2', 'G3/4', 'G1', 'G1 1/4', 'G1 1/2', 'G2'];
  for (const [si, bar] of sets.entries()) {
    for (const [ti, thread] of threads.entries()) {
      yield {
        category: 'valve', prefix: '0474', serial: 100 + si * 10 + ti, variant: 0,
        nameEn: `Safety valve ${thread}, set ${bar} bar, PED`,
        nameZh: `安全阀 ${thread}，整定压力 ${bar} bar，PED 认证`,
        useEn: 'Pressure relief of the oil vessel; test yearly (German safety-device inspection).',
        useZh: '油气桶超压泄放；每年校验一次。',
        unit: 'piece', packSize: 1, weightKg: round2(0.4 + ti * 0.35), priceEur: 55 + ti * 22 + bar, pricePublic: true,
        kw: [KW_STEPS[Math.min(ti * 3, KW_STEPS.length - 1)]!, KW_STEPS[Math.min(ti * 3 + 3, KW_STEPS.length - 1)]!],
        role: bar === 9 ? 'safety' : undefined,
      };
    }
  }
}

export function* sensorFamilies(): Generator<PartSpec> {
  const ranges = [10, 16, 25, 40];
  const outputs = [['4–20 mA', '4–20 mA'], ['0–10 V', '0–10 V'], ['ratiometric 0.5–4.5 V', '比例式 0.5–4.5 V']] as const;
  const threads = ['G1/4', 'G1/8', 'M12×1.5'];
  for (const [ri, r] of ranges.entries()) {
    for (const [oi, [oEn, oZh]] of outputs.entries()) {
      for (const [ti, thread] of threads.entries()) {
        yield {
          category: 'sensor', prefix: '0481', serial: 100 + ri * 10 + oi, variant: ti,
          nameEn: `Pressure transmitter 0–${r} bar, ${oEn}, ${thread}`,
          nameZh: `压力传感器 0–${r} bar，${oZh}，${thread}`,
          useEn: 'Net and vessel pressure for the controller.',
          useZh: '为控制器测量排气压力和油气桶压力。',
          unit: 'piece', packSize: 1, weightKg: 0.12, priceEur: 95 + r * 1.5 + oi * 12, pricePublic: true, kw: [4, 250],
          role: r === 16 && oi === 0 && ti === 0 ? 'pressure_sensor' : undefined,
        };
      }
    }
  }
  for (const [ei, [eEn, eZh]] of ([['PT1000', 'PT1000'], ['PT100', 'PT100'], ['NTC 10k', 'NTC 10k']] as const).entries()) {
    for (const [li, len] of [50, 100, 150, 200].entries()) {
      for (const [ti, thread] of ['G1/4', 'M14×1.5', 'G3/8'].entries()) {
        yield {
          category: 'sensor', prefix: '0482', serial: 100 + ei * 10 + li, variant: ti,
          nameEn: `Temperature sensor ${eEn}, probe ${len} mm, ${thread}`,
          nameZh: `温度传感器 ${eZh}，探头 ${len} mm，${thread}`,
          useEn: 'Element outlet (ADT), oil and ambient temperature for the controller.',
          useZh: '为控制器测量主机排气温度、油温和环境温度。',
          unit: 'piece', packSize: 1, weightKg: 0.08, priceEur: 42 + len * 0.12 + ei * 5, pricePublic: true, kw: [4, 250],
          role: ei === 0 && len === 100 && ti === 0 ? 'temp_sensor' : undefined,
        };
      }
    }
  }
  for (const [di, [dEn, dZh, span]] of ([['air filter', '空气滤芯', '0–100 mbar'], ['oil separator', '油气分离器', '0–1.6 bar'], ['oil filter', '油过滤器', '0–2.5 bar'], ['line filter', '管路过滤器', '0–1 bar']] as const).entries()) {
    for (const [ki, [kEn, kZh]] of ([['switch', '压差开关'], ['transmitter 4–20 mA', '压差变送器 4–20 mA'], ['indicator', '压差指示器']] as const).entries()) {
      yield {
        category: 'sensor', prefix: '0483', serial: 100 + di * 10 + ki, variant: 0,
        nameEn: `Differential pressure ${kEn}, ${dEn}, ${span}`,
        nameZh: `${dZh}${kZh}，${span}`,
        useEn: `Monitors the ${dEn} ΔP so it is changed on condition.`,
        useZh: `监测${dZh}压差，按状态更换。`,
        unit: 'piece', packSize: 1, weightKg: 0.25, priceEur: 60 + ki * 45, pricePublic: true, kw: [4, 250],
      };
    }
  }
  for (const [vi, [vEn, vZh]] of ([['vibration sensor 4–20 mA, 0–20 mm/s RMS', '振动传感器 4–20 mA，0–20 mm/s RMS'], ['vibration sensor IEPE 100 mV/g', '振动传感器 IEPE 100 mV/g'], ['motor current transformer 200/5 A', '电机电流互感器 200/5 A'], ['dew-point sensor −20…+50 °C', '露点传感器 −20…+50 °C']] as const).entries()) {
    yield {
      category: 'sensor', prefix: '0484', serial: 100 + vi, variant: 0, nameEn: vEn[0]!.toUpperCase() + vEn.slice(1), nameZh: vZh,
      useEn: 'Condition monitoring add-on for the controller.', useZh: '控制器状态监测附件。',
      unit: 'piece', packSize: 1, weightKg: 0.2, priceEur: 180 + vi * 40, pricePublic: true, kw: [4, 250],
    };
  }
}

export function* drainFamilies(): Generator<PartSpec> {
  const sizes = [['S', 30], ['M', 90], ['L', 220], ['XL', 600], ['XXL', 1500]] as const;
  for (const [si, [code, flow]] of sizes.entries()) {
    const kw: [number, number] = [si === 0 ? 4 : sizes[si - 1]![1] / 2.8, flow / 2.8];
    for (const [vi, [vEn, vZh]] of ([['230 V AC', '230 V 交流'], ['24 V DC', '24 V 直流'], ['115 V AC', '115 V 交流']] as const).entries()) {
      yield {
        category: 'drain', prefix: '0491', serial: 100 + si * 10, variant: vi,
        nameEn: `Electronic zero-loss condensate drain ${code}, up to ${flow} l/s, ${vEn}`,
        nameZh: `电子式零气耗排水器 ${code}，最大 ${flow} l/s，${vZh}`,
        useEn: 'Level-controlled drain: removes condensate without wasting compressed air.',
        useZh: '液位控制排水：排放冷凝水而不浪费压缩空气。',
        unit: 'piece', packSize: 1, weightKg: round2(0.8 + si * 0.6), priceEur: 210 + si * 90, pricePublic: true, kw,
        role: vi === 0 ? 'drain' : undefined,
      };
      yield {
        category: 'drain', prefix: '0492', serial: 100 + si * 10, variant: vi,
        nameEn: `Drain service kit ${code} (${vEn}): valve unit, membrane, seals`,
        nameZh: `排水器维修包 ${code}（${vZh}）：阀组、膜片、密封件`,
        useEn: 'Renews the wearing parts of the zero-loss drain at every C service.',
        useZh: '每次 C 级保养时更换零气耗排水器易损件。',
        unit: 'set', packSize: 1, weightKg: 0.3, priceEur: 65 + si * 18, pricePublic: true, kw,
        role: vi === 0 ? 'drain_kit' : undefined,
      };
    }
    yield {
      category: 'drain', prefix: '0493', serial: 100 + si, variant: 0,
      nameEn: `Timer drain valve ${code}, G1/2, adjustable 0.5–10 s / 0.5–45 min`,
      nameZh: `定时排水阀 ${code}，G1/2，可调 0.5–10 s / 0.5–45 min`,
      useEn: 'Simple timed condensate drain for receivers and filters.',
      useZh: '用于储气罐和过滤器的简易定时排水。',
      unit: 'piece', packSize: 1, weightKg: 0.5, priceEur: 75 + si * 10, pricePublic: true, kw,
    };
  }
  // Oil-water separators for condensate treatment.
  for (let i = 0; i < 8; i++) {
    const kwMax = [15, 30, 55, 90, 132, 200, 250, 250][i]!;
    yield {
      category: 'drain', prefix: '0494', serial: 100 + i, variant: 0,
      nameEn: `Oil-water separator OWS-${i + 1}, for compressors up to ${kwMax} kW${i === 7 ? ' (twin)' : ''}`,
      nameZh: `油水分离器 OWS-${i + 1}，适用 ${kwMax} kW 以下压缩机${i === 7 ? '（双联）' : ''}`,
      useEn: 'Treats condensate so it may go to the sewer (oil ≤ 20 mg/l).',
      useZh: '处理冷凝水，使含油量 ≤ 20 mg/l 后可排入下水道。',
      unit: 'piece', packSize: 1, weightKg: 6 + i * 4, priceEur: 320 + i * 150, pricePublic: true, kw: [4, kwMax],
    };
  }
}
