/**
 * The demo tenant set seeded by `npm start` on first start: three customers with two
 * sites each and four machines per site, every catalogue model represented.
 * Demo users exist only here, never in production mode.
 */
export const DEMO_PASSWORD = 'airfleet-demo';

export interface DemoCustomer {
  id: string;
  name: string;
  currency: string;
  tariffPerKwh: number;
  gridCo2KgPerKwh: number;
  locale: 'en' | 'zh-CN';
  sites: Array<{ id: string; name: string; city: string; country: string; region: string; timezone: string; utcOffsetMinutes: number; ambientC: number; models: string[] }>;
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    id: 'northwind',
    name: 'Northwind Metalworks',
    currency: 'GBP',
    tariffPerKwh: 0.24,
    gridCo2KgPerKwh: 0.21,
    locale: 'en',
    sites: [
      { id: 'northwind-sheffield', name: 'Sheffield Forge', city: 'Sheffield', country: 'GB', region: 'EMEA', timezone: 'Europe/London', utcOffsetMinutes: 0, ambientC: 16, models: ['AF75', 'AF75', 'AF37', 'AF90V'] },
      { id: 'northwind-leeds', name: 'Leeds Fabrication', city: 'Leeds', country: 'GB', region: 'EMEA', timezone: 'Europe/London', utcOffsetMinutes: 0, ambientC: 15, models: ['AF37', 'AF37', 'AF22', 'AF22'] },
    ],
  },
  {
    id: 'lakeside',
    name: 'Lakeside Foods',
    currency: 'USD',
    tariffPerKwh: 0.13,
    gridCo2KgPerKwh: 0.37,
    locale: 'en',
    sites: [
      { id: 'lakeside-madison', name: 'Madison Bakery', city: 'Madison', country: 'US', region: 'Americas', timezone: 'America/Chicago', utcOffsetMinutes: -360, ambientC: 20, models: ['AF37', 'AF37', 'AF22', 'AF90V'] },
      { id: 'lakeside-milwaukee', name: 'Milwaukee Dairy', city: 'Milwaukee', country: 'US', region: 'Americas', timezone: 'America/Chicago', utcOffsetMinutes: -360, ambientC: 18, models: ['AF75', 'AF37', 'AF22', 'AF22'] },
    ],
  },
  {
    id: 'huadong',
    name: 'Huadong Textiles',
    currency: 'CNY',
    tariffPerKwh: 0.72,
    gridCo2KgPerKwh: 0.57,
    locale: 'zh-CN',
    sites: [
      { id: 'huadong-songjiang', name: '松江纺织厂 Songjiang Mill', city: 'Shanghai', country: 'CN', region: 'APAC', timezone: 'Asia/Shanghai', utcOffsetMinutes: 480, ambientC: 27, models: ['AF90V', 'AF75', 'AF75', 'AF37'] },
      { id: 'huadong-xiaoshan', name: '萧山印染厂 Xiaoshan Dyeworks', city: 'Hangzhou', country: 'CN', region: 'APAC', timezone: 'Asia/Shanghai', utcOffsetMinutes: 480, ambientC: 28, models: ['AF90V', 'AF37', 'AF37', 'AF22'] },
    ],
  },
];

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: 'admin' | 'operator' | 'service' | 'customer'; customerId: string | null; locale: 'en' | 'zh-CN' }> = [
  { email: 'admin@airfleet.example', name: 'Ada Admin', role: 'admin', customerId: null, locale: 'en' },
  { email: 'operator@airfleet.example', name: 'Otto Operator', role: 'operator', customerId: null, locale: 'en' },
  { email: 'service@airfleet.example', name: 'Sam Service', role: 'service', customerId: null, locale: 'en' },
  { email: 'buyer@northwind.example', name: 'Nora North', role: 'customer', customerId: 'northwind', locale: 'en' },
  { email: 'buyer@lakeside.example', name: 'Leo Lake', role: 'customer', customerId: 'lakeside', locale: 'en' },
  { email: 'buyer@huadong.example', name: '华东 采购', role: 'customer', customerId: 'huadong', locale: 'zh-CN' },
];

export interface DemoDeviceSpec {
  id: string;
  serial: string;
  modelId: string;
  siteId: string;
  customerId: string;
  utcOffsetMinutes: number;
  ambientC: number;
  seed: number;
}

/** Deterministic device list: ids like `AF37-000123`, serials like `AFS-2023-000123`. */
export function demoDevices(): DemoDeviceSpec[] {
  const devices: DemoDeviceSpec[] = [];
  let n = 100;
  for (const customer of DEMO_CUSTOMERS) {
    for (const site of customer.sites) {
      for (const modelId of site.models) {
        n += 7;
        const num = String(n).padStart(6, '0');
        devices.push({
          id: `${modelId}-${num}`,
          serial: `AFS-${2019 + (n % 6)}-${num}`,
          modelId,
          siteId: site.id,
          customerId: customer.id,
          utcOffsetMinutes: site.utcOffsetMinutes,
          ambientC: site.ambientC,
          seed: n,
        });
      }
    }
  }
  return devices;
}
