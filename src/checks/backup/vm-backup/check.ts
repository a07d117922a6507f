import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'backup.vm-backup',
    section: 'backup',
    title: "The production VM is backed up (Recovery Services vault or snapshots) and the last backup succeeded",
    severity: 'high',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text: "Protect the VM with a Recovery Services vault policy (daily, 30 days) and check the first backup job succeeds.",
      command: "az backup protection enable-for-vm --resource-group <rg> --vault-name <vault> --vm <vm> --policy-name DefaultPolicy",
      url: 'https://learn.microsoft.com/azure/backup/quick-backup-vm-cli',
    },
    runs: "Recovery Services protected items for the VM (last backup time and health), snapshot schedules, local backup jobs",
  },
  requires: [],
  pending: "Azure backup probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
