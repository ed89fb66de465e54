import type { PartCategory } from '@airfleet/contracts';
import { normaliseText } from './part-number.domain.ts';
import type { CataloguePart } from './parts-catalogue.data.ts';

/**
 * The words people use for each category, besides the catalogue's own: buyers type
 * "oil/air separator" or "condensate trap", and in Chinese workshops say 油格, 空滤, 油分 …
 * They go into the search text only, never into what is shown.
 */
const SYNONYMS: Record<PartCategory, [string, string]> = {
  oil_filter: ['oil filter element lube filter', '油过滤器 油滤 机油滤芯 油滤芯 油格'],
  air_filter: ['air filter element intake filter', '空气滤芯 空滤 空气过滤器 空格'],
  line_filter: ['line filter compressed air filter', '管路过滤器 精密过滤器 管道过滤器'],
  separator: ['oil separator air/oil separator element', '油气分离器 油分 油细分离器 油分芯'],
  oil: ['compressor oil lubricant fluid', '润滑油 空压机油 螺杆机油 机油'],
  grease: ['bearing grease lubricant', '润滑脂 黄油 轴承脂'],
  valve: ['valve', '阀 阀门'],
  valve_kit: ['valve kit repair kit overhaul kit', '维修包 修理包 阀维修包'],
  sensor: ['sensor transmitter switch', '传感器 变送器 开关'],
  motor: ['electric motor drive motor', '电机 电动机 马达'],
  coupling: ['coupling spider elastic element', '联轴器 弹性体 梅花垫'],
  belt: ['v-belt belt drive belt', '皮带 三角带 v带'],
  cooler: ['cooler radiator heat exchanger', '冷却器 散热器 换热器'],
  drain: ['condensate drain trap', '排水器 自动排水阀 疏水阀'],
  service_kit: ['service kit maintenance kit spare parts kit', '保养包 保养套件 维修保养包'],
};

/**
 * Lower-cased search text per language: name, category words, fitting models. Short on
 * purpose: word similarity is computed against the whole text, and long descriptions
 * would both dilute the ranking and slow every comparison.
 */
export function searchTexts(part: CataloguePart): { en: string; zh: string } {
  const [en, zh] = SYNONYMS[part.category];
  const fits = part.fits.join(' ');
  return {
    en: normaliseText(`${part.nameEn} | ${en} | ${fits}`),
    zh: normaliseText(`${part.nameZh} | ${zh} | ${fits}`),
  };
}
