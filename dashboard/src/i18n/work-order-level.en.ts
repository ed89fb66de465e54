/** The work order page's hint when the machine's next service now needs a higher level than the order's. */
export const workOrderLevelEn = {
  below: 'Order is for {{orderLevel}}, {{dueLevel}} is now due.',
  raise: 'Change to {{dueLevel}}',
  raiseFailed: 'The level could not be changed: {{message}}',
};
