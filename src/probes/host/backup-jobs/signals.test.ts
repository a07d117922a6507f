import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { jobPaths, maskCommand, nameSignal, toolSignals } from './signals.js';

describe('backup signals', () => {
  it.each([
    ['pg_dump -Fc -f /var/backups/pg/orders.dump orders', ['pg_dump']],
    ['azcopy copy /var/backups https://x.blob.core.windows.net/b --recursive', ['azcopy']],
    ['az storage blob upload-batch -d backups -s /var/backups', ['az storage blob upload']],
    ['az cosmosdb sql container show -a x -d y -n z', ['az cosmosdb']],
    ['az snapshot create -g rg -n snap --source osdisk', ['az snapshot create']],
    ['restic -r /srv/restic backup /data', ['restic']],
    ['borg create /srv/borg::{now} /data', ['borg create']],
    ['rsync -a /data/ backup-host:/srv/data/', ['rsync']],
    ['tar czf /srv/x.tgz /data', ['tar (create)']],
    ['tar -xzf x.tgz', []],
    ['mongodump --archive=/var/backups/m.gz', ['mongodump']],
    ['dt /s:DocumentDB /s.ConnectionString:x /t:JsonFile /t.File:/var/backups/c.json', ['dt (Cosmos DB data migration tool)']],
    ['certbot -q renew', []],
    ['test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )', []],
  ])('%s → %j', (text, signals) => {
    expect(toolSignals(text)).toEqual(signals);
  });

  it('names: backup, dump, snapshot — but not the OS dpkg database backup', () => {
    expect(nameSignal('/opt/order-processing/bin/backup-orders.sh')).toBe('name: backup');
    expect(nameSignal('db-dump')).toBe('name: dump');
    expect(nameSignal('orders-backup.timer')).toBe('name: backup');
    expect(nameSignal('dpkg-db-backup.timer')).toBeUndefined();
    expect(nameSignal('/usr/libexec/dpkg/dpkg-db-backup')).toBeUndefined();
    expect(nameSignal('logrotate.timer')).toBeUndefined();
  });

  it('paths of a cron command: the script, its log, not /dev/null', () => {
    expect(jobPaths('/opt/order-processing/bin/backup-orders.sh >> /var/log/orders-backup.log 2>&1')).toEqual({
      candidates: ['/opt/order-processing/bin/backup-orders.sh'],
      logFiles: ['/var/log/orders-backup.log'],
      outputs: [],
    });
    expect(jobPaths('/usr/local/bin/healthcheck.sh > /dev/null 2>&1').logFiles).toEqual([]);
  });

  it('paths in a script: variables expanded, dynamic names cut to their directory', () => {
    const p = jobPaths(fixtureText('crontab/backup-orders.sh'));
    expect(p.outputs).toEqual(['/var/backups/orders']);
    expect(p.candidates).toEqual(['/data/order-processing/config']);
  });

  it.each([
    ['pg_dump -f /var/backups/pg/orders.dump orders', ['/var/backups/pg/orders.dump']],
    ['pg_dump orders > /var/backups/orders-$(date +%F).sql', ['/var/backups']],
    ['mongodump --archive=/var/backups/m.gz', ['/var/backups/m.gz']],
    ['tar -czf /srv/backup/config.tgz /etc/order-processing', ['/srv/backup/config.tgz']],
    ['borg create /srv/borg::orders-{now} /data', ['/srv/borg']],
    ['rsync -a /data/ /mnt/backup/data/', ['/mnt/backup/data']],
    ['restic -r /srv/restic backup /data', ['/srv/restic']],
  ])('outputs of %s', (cmd, outputs) => {
    expect(jobPaths(cmd).outputs).toEqual(outputs);
  });

  it('masks credentials and returns them for the redactor', () => {
    const line = fixtureText('crontab/cron.d-orders-backup.txt').split('\n');
    const azcopy = maskCommand(line.find((l) => l.includes('azcopy')) ?? '');
    expect(azcopy.text).toContain('sig=***');
    expect(azcopy.secrets).toEqual(['FAKEsasSIGNATURE0123456789']);
    expect(maskCommand('PGPASSWORD=FAKE-pg-password pg_dump -h localhost -p5432 orders')).toEqual({
      text: 'PGPASSWORD=*** pg_dump -h localhost -p5432 orders',
      secrets: ['FAKE-pg-password'],
    });
    expect(maskCommand('mysqldump -uorders -pFAKEmysql orders').text).toBe('mysqldump -uorders -p*** orders');
    expect(maskCommand('az storage blob upload --account-key FAKEkey== -f x').text).toBe('az storage blob upload --account-key *** -f x');
    expect(maskCommand('curl https://ops:FAKEpw@backup.example.net/x').text).toBe('curl https://ops:***@backup.example.net/x');
    expect(maskCommand('x "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=FAKEabc==;"').text).toContain('AccountKey=***');
  });
});
