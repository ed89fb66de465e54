import type { ReportLocale, SavingOpportunity, UsageFigures } from '@airfleet/contracts';
import { escapeHtml, linkHtml, publicLink, type MailLink } from '../notifications/mail-links.domain.ts';

/**
 * The weekly email report (docs/customer-reports.md §4), pure: the week's key numbers per site and the savings
 * opportunities, in English or Simplified Chinese, as subject + plain text + HTML.
 */
export interface WeeklySite {
  /** The site's id, for links to its usage page. */
  siteId?: string;
  /** The week in the site's own time zone, local dates: Monday and the Monday after (exclusive). */
  from?: string;
  to?: string;
  siteName: string;
  currency: string;
  totals: UsageFigures;
  savings: readonly SavingOpportunity[];
}

export interface WeeklyReportInput {
  locale: ReportLocale;
  recipientName: string;
  customerName: string;
  /** Local Monday that starts the reported week, `YYYY-MM-DD`. */
  weekStart: string;
  /** Local Sunday that ends it. */
  weekEnd: string;
  sites: readonly WeeklySite[];
  /** PUBLIC_URL: with it, each site links to its usage page and printable report for the week. */
  publicUrl?: string;
}

export interface WeeklyReport {
  subject: string;
  text: string;
  html: string;
}

const T = {
  en: {
    subject: (c: string, w: string) => `AirFleet weekly report for ${c}: week of ${w}`,
    hello: (n: string) => `Hello ${n},`,
    intro: (a: string, b: string) => `here are your compressed-air figures for ${a} – ${b}.`,
    energy: 'Energy',
    cost: 'Cost',
    co2: 'CO₂',
    running: 'Running hours',
    loaded: 'Loaded hours',
    loadFactor: 'Load factor',
    specific: 'Specific energy',
    vsRated: (r: string) => `rated ${r}`,
    unloaded: 'Energy wasted unloaded',
    leak: 'Estimated leak flow',
    savings: 'Savings opportunities (per year)',
    noSavings: 'No savings opportunity stands out this week.',
    noData: 'No data from this site this week.',
    footer: 'You receive this because you subscribed to the weekly report in the AirFleet portal. You can turn it off there.',
    footerLinked: 'You receive this because you subscribed to the weekly report in the AirFleet portal. Turn it off on the usage page:',
    open: 'Open the portal',
    usage: 'This week on the usage page',
    print: 'Printable report',
  },
  'zh-CN': {
    subject: (c: string, w: string) => `AirFleet 周报（${c}）：${w} 当周`,
    hello: (n: string) => `${n}，您好：`,
    intro: (a: string, b: string) => `以下是 ${a} 至 ${b} 的压缩空气数据。`,
    energy: '电能',
    cost: '电费',
    co2: '二氧化碳',
    running: '运行小时',
    loaded: '加载小时',
    loadFactor: '加载率',
    specific: '比能耗',
    vsRated: (r: string) => `额定 ${r}`,
    unloaded: '空载浪费电能',
    leak: '估计泄漏流量',
    savings: '节能机会（每年）',
    noSavings: '本周没有明显的节能机会。',
    noData: '本周该厂区没有数据。',
    footer: '您收到此邮件是因为您在 AirFleet 门户中订阅了周报，可随时在门户中退订。',
    footerLinked: '您收到此邮件是因为您在 AirFleet 门户中订阅了周报，可在用量页面退订：',
    open: '打开门户',
    usage: '在用量页面查看本周数据',
    print: '可打印报告',
  },
} as const;

const fmt = (v: number, digits: number): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export { escapeHtml };

/** The portal's usage view and print page of one site's week (the dashboard's ?site&from&to&g). */
function siteLinks(site: WeeklySite, publicUrl: string | undefined, t: (typeof T)[ReportLocale]): MailLink[] {
  if (!site.siteId || !site.from || !site.to) return [];
  const query = { site: site.siteId, from: site.from, to: site.to, g: 'day' };
  const usage = publicLink(publicUrl, '/usage', query);
  const print = publicLink(publicUrl, '/reports/print', query);
  const links: MailLink[] = [];
  if (usage) links.push({ label: t.usage, href: usage });
  if (print) links.push({ label: t.print, href: print });
  return links;
}

function keyFigures(site: WeeklySite, t: (typeof T)[ReportLocale]): Array<[string, string]> {
  const f = site.totals;
  const rows: Array<[string, string]> = [
    [t.energy, `${fmt(f.kwh, 0)} kWh`],
    [t.cost, `${fmt(f.cost, 2)} ${site.currency}`],
    [t.co2, `${fmt(f.co2Kg, 0)} kg`],
    [t.running, `${fmt(f.runningHours, 1)} h`],
    [t.loaded, `${fmt(f.loadedHours, 1)} h`],
  ];
  if (f.loadFactor !== null) rows.push([t.loadFactor, `${fmt(f.loadFactor * 100, 0)} %`]);
  if (f.specificEnergyKwhM3 !== null) {
    const rated = f.ratedSpecificEnergyKwhM3 === null ? '' : ` (${t.vsRated(fmt(f.ratedSpecificEnergyKwhM3, 3))})`;
    rows.push([t.specific, `${fmt(f.specificEnergyKwhM3, 3)} kWh/m³${rated}`]);
  }
  rows.push([t.unloaded, `${fmt(f.unloadedKwh, 0)} kWh`]);
  if (f.leakFlowM3Min !== null) rows.push([t.leak, `${fmt(f.leakFlowM3Min, 2)} m³/min`]);
  return rows;
}

export function buildWeeklyReport(input: WeeklyReportInput): WeeklyReport {
  const t = T[input.locale];
  const text: string[] = [t.hello(input.recipientName), '', t.intro(input.weekStart, input.weekEnd), ''];
  const html: string[] = [
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(t.subject(input.customerName, input.weekStart))}</title></head>`,
    '<body style="font-family:Arial,\'Microsoft YaHei\',sans-serif;color:#1a1b1e;max-width:640px">',
    `<p>${escapeHtml(t.hello(input.recipientName))}</p><p>${escapeHtml(t.intro(input.weekStart, input.weekEnd))}</p>`,
  ];
  for (const site of input.sites) {
    text.push(`== ${site.siteName} ==`);
    html.push(`<h2 style="font-size:18px">${escapeHtml(site.siteName)}</h2>`);
    const links = siteLinks(site, input.publicUrl, t);
    if (links.length > 0) {
      text.push(...links.map((l) => `${l.label}${input.locale === 'zh-CN' ? '：' : ': '}${l.href}`), '');
      html.push(`<p>${links.map(linkHtml).join(' · ')}</p>`);
    }
    if (site.totals.coveredHours === 0 && site.totals.runningHours === 0) {
      text.push(t.noData, '');
      html.push(`<p>${escapeHtml(t.noData)}</p>`);
      continue;
    }
    const figures = keyFigures(site, t);
    for (const [k, v] of figures) text.push(`${k}: ${v}`);
    html.push('<table style="border-collapse:collapse">');
    for (const [k, v] of figures) html.push(`<tr><td style="padding:2px 12px 2px 0">${escapeHtml(k)}</td><td style="text-align:right"><b>${escapeHtml(v)}</b></td></tr>`);
    html.push('</table>');
    text.push('', `${t.savings}:`);
    html.push(`<h3 style="font-size:15px">${escapeHtml(t.savings)}</h3>`);
    if (site.savings.length === 0) {
      text.push(`  ${t.noSavings}`);
      html.push(`<p>${escapeHtml(t.noSavings)}</p>`);
    } else {
      html.push('<ul>');
      for (const s of site.savings) {
        const figure = `${fmt(s.kwhPerYear, 0)} kWh, ${fmt(s.moneyPerYear, 0)} ${site.currency}`;
        text.push(`  - ${s.title}: ${figure}`, ...s.assumptions.map((a) => `      ${a}`));
        html.push(`<li><b>${escapeHtml(s.title)}</b>: ${escapeHtml(figure)}<br><small>${s.assumptions.map(escapeHtml).join('<br>')}</small></li>`);
      }
      html.push('</ul>');
    }
    text.push('');
  }
  const portal = publicLink(input.publicUrl, '/portal');
  if (portal) {
    text.push(`${t.open}${input.locale === 'zh-CN' ? '：' : ': '}${portal}`, '');
    html.push(`<p>${linkHtml({ label: t.open, href: portal })}</p>`);
  }
  const settings = publicLink(input.publicUrl, '/usage');
  text.push('--', settings ? `${t.footerLinked}${input.locale === 'zh-CN' ? '' : ' '}${settings}` : t.footer);
  html.push(`<hr><p style="font-size:12px;color:#666">${settings ? `${escapeHtml(t.footerLinked)} ${linkHtml({ label: settings, href: settings })}` : escapeHtml(t.footer)}</p></body></html>`);
  return { subject: t.subject(input.customerName, input.weekStart), text: text.join('\n'), html: html.join('\n') };
}
