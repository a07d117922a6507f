import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import type { DiskMount } from '../../../facts/host.js';

/**
 * File systems whose "use%" says nothing about free disk: memory-backed (tmpfs, devtmpfs),
 * kernel views (proc, sysfs, cgroup), and read-only images that are always 100% full by design
 * (squashfs: every Ubuntu snap is a `/dev/loopN` squashfs mounted under /snap).
 */
const NOT_DISK_TYPES = new Set([
  'tmpfs',
  'devtmpfs',
  'ramfs',
  'squashfs',
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devpts',
  'mqueue',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'efivarfs',
  'autofs',
  'hugetlbfs',
  'fusectl',
  'configfs',
  'nsfs',
  'iso9660',
  'udf',
  'fuse.snapfuse',
  'fuse.lxcfs',
  'fuse.portal',
]);

/** Why a mount is left out of the verdict, or undefined when it counts. */
export function notCounted(m: DiskMount): string | undefined {
  if (m.type !== undefined) {
    if (NOT_DISK_TYPES.has(m.type)) return m.type;
    // Docker's per-container overlays repeat the disk under /var/lib/docker; an overlay root (a container) counts
    if (m.type === 'overlay' && m.mountedOn !== '/') return 'overlay';
  } else {
    // plain `df` has no type column: judge by name (udev and tmpfs are df's names for devtmpfs/tmpfs)
    if (['tmpfs', 'devtmpfs', 'udev', 'none', 'shm', 'overlay'].includes(m.filesystem) && m.mountedOn !== '/') return m.filesystem;
  }
  if (/^\/snap\//.test(m.mountedOn) && m.filesystem.startsWith('/dev/loop')) return 'snap';
  if (m.usePercent === undefined || m.sizeKb === 0) return 'no size';
  return undefined;
}

/** `/ 93% used (/dev/sda1)` */
const mountText = (m: DiskMount): string => `${m.mountedOn} ${m.usePercent ?? '?'}% used (${m.filesystem})`;

/**
 * Free space on every disk-backed file system: a full root or data disk stops logging, the
 * database and the services themselves. Thresholds: config.host.diskWarnPercent (80) and
 * diskFailPercent (90), on df's Capacity column (used / (used + available), rounded up — the
 * blocks reserved for root are already excluded, so 100% means users can write nothing).
 */
export const check = defineCheck({
  meta: {
    id: 'infra.disk-usage',
    section: 'infra',
    title: 'Every disk-backed file system is below the disk usage warning threshold',
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 2] },
    remediation: {
      text:
        'Free space on the full file systems (old logs: journalctl --vacuum-size, rotated nginx logs; apt caches: apt-get clean; old releases and Docker images) ' +
        'or grow the disk (Azure: resize the managed disk, then growpart and resize2fs), and alert on disk space before it fills.',
      command: 'df -hT -x tmpfs -x devtmpfs -x squashfs && sudo du -xh --max-depth=2 / 2>/dev/null | sort -h | tail -20',
      url: 'https://learn.microsoft.com/en-us/azure/virtual-machines/linux/expand-disks',
    },
    runs: 'df -PT',
  },
  requires: ['host.disk'],
  evaluate(facts, { config }) {
    const { mounts, warnings } = facts.need('host.disk');
    const { diskWarnPercent: warnAt, diskFailPercent: failAt } = config.host;
    const counted = mounts.filter((m) => notCounted(m) === undefined);
    const skipped = mounts.length - counted.length;
    const notes: Evidence[] = warnings.map((w) => ({ text: w }));
    const refs = facts.refs('host.disk');
    if (counted.length === 0) {
      return {
        status: 'unknown',
        summary: `could not verify: df shows no disk-backed file system (${mounts.length} mount(s), none counted)`,
        evidence: [...mounts.map((m) => ({ text: mountText(m) })), ...notes],
        unverified: [{ probe: 'host.disk', cause: { kind: 'probe', probe: 'host.disk', reason: 'failed' }, detail: 'df shows no disk-backed file system', ...(refs.length > 0 ? { refs } : {}) }],
      };
    }
    // df skips a mount it cannot stat (`df: /data: Permission denied`): that file system may be the
    // full one. Per-user runtime and kernel mounts (/run, /proc, /sys, /dev) hold no data.
    const unseen = warnings
      .map((w) => /^df: (.+?): (Permission denied|.+)$/.exec(w))
      .filter((m): m is RegExpExecArray => m !== null && !/^\/(run|proc|sys|dev)(\/|$)/.test(m[1] ?? ''))
      .map((m): Unverified => ({
        probe: 'host.disk',
        cause: m[2] === 'Permission denied' ? { kind: 'permission', what: m[1] ?? '' } : { kind: 'probe', probe: 'host.disk', reason: 'failed' },
        detail: `df could not read ${m[1] ?? ''}: ${m[2] ?? ''}`,
        ...(refs.length > 0 ? { refs } : {}),
      }));
    const full = counted.filter((m) => (m.usePercent ?? 0) >= failAt);
    const filling = counted.filter((m) => (m.usePercent ?? 0) >= warnAt && (m.usePercent ?? 0) < failAt);
    const skippedText = skipped > 0 ? [{ text: `${skipped} mount(s) not counted (tmpfs, snap images, kernel file systems)` }] : [];
    if (full.length > 0 || filling.length > 0) {
      const parts = [
        ...(full.length > 0 ? [`${full.map(mountText).join(', ')} (fail at ${failAt}%)`] : []),
        ...(filling.length > 0 ? [`${filling.map(mountText).join(', ')} (warn at ${warnAt}%)`] : []),
      ];
      return {
        status: full.length > 0 ? 'fail' : 'warn',
        summary: `disk filling up: ${parts.join('; ')}`,
        evidence: [...full, ...filling].map((m) => ({ text: mountText(m) })).concat(notes),
      };
    }
    const worst = [...counted].sort((a, b) => (b.usePercent ?? 0) - (a.usePercent ?? 0))[0];
    if (unseen.length > 0) {
      return {
        status: 'unknown',
        summary: `${counted.length} disk-backed file system(s) below ${warnAt}% used, but df could not read ${unseen.map((u) => u.detail.replace(/^df could not read /, '')).join(', ')}`,
        evidence: [...counted.map((m) => ({ text: mountText(m) })), ...skippedText, ...notes],
        unverified: unseen,
      };
    }
    return {
      status: 'pass',
      summary: `${counted.length} disk-backed file system(s) below ${warnAt}% used${worst ? `; fullest: ${mountText(worst)}` : ''}`,
      evidence: [...counted.map((m) => ({ text: mountText(m) })), ...skippedText, ...notes],
    };
  },
});
