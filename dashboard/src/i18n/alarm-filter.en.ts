/** The alarms page filtered to one machine (`/alarms?device=<id>`), and the machine page's link to it. */
export const alarmFilterEn = {
  machine: 'Machine: {{machine}}',
  clearMachine: 'Show alarms of all machines',
  allOfMachine: 'All alarms of this machine',
};
