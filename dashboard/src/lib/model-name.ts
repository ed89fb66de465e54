import { findModel, type CompressorModel } from '@airfleet/contracts';

/**
 * A compressor model's display name in the reader's language. The catalogue names models in
 * English ("AirFleet AF75 (75 kW, fixed speed)"); in Chinese the name is composed from the
 * model's fields: "AirFleet AF75（75 kW，定速）". Unknown models keep the name given.
 */
export function modelDisplayName(modelId: string, fallback: string, lng: string): string {
  const model = findModel(modelId);
  if (!model) return fallback;
  return lng.startsWith('zh') ? chineseName(model) : model.name;
}

function chineseName(model: CompressorModel): string {
  // The class figure of the name (the motor's nominal kW), not the package's rated input power.
  const kw = /(\d+(?:\.\d+)?)\s*kW/.exec(model.name)?.[1] ?? String(Math.round(model.ratedPowerKw));
  return `AirFleet ${model.id}（${kw} kW，${model.drive === 'vsd' ? '变频' : '定速'}）`;
}
