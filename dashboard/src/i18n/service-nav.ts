/**
 * The service pages' navigation labels, in both languages. They are in the header on every page,
 * so they ship with sign-in; everything else of the service pages (service.en.ts, service.zh-cn.ts)
 * loads with the first service page (service-strings.ts).
 */
export const serviceNavEn = {
  nav: {
    inbox: 'Inbox',
    workOrders: 'Work orders',
    planning: 'Planning',
    notificationLog: 'Notifications',
    settings: 'Settings',
    settingsHint: 'My notification settings',
    settingsOf: 'Settings of {{name}}',
  },
} as const;

export const serviceNavZhCN: { nav: { [K in keyof (typeof serviceNavEn)['nav']]: string } } = {
  nav: {
    inbox: '服务待办',
    workOrders: '工单',
    planning: '服务计划',
    notificationLog: '通知',
    settings: '设置',
    settingsHint: '我的通知设置',
    settingsOf: '{{name}} 的设置',
  },
};
