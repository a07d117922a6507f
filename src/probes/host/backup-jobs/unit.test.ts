import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parseServiceUnit } from './unit.js';

describe('parseServiceUnit', () => {
  it('ExecStart and StandardOutput=append:', () => {
    expect(parseServiceUnit(fixtureText('crontab/orders-backup.service'))).toEqual({
      execStart: ['/opt/order-processing/bin/backup-orders.sh'],
      logFiles: ['/var/log/orders-backup-timer.log'],
    });
  });

  it('continuation lines are joined; prefixes dropped; an empty ExecStart= resets', () => {
    expect(parseServiceUnit(fixtureText('crontab/cosmos-export.service')).execStart).toEqual([
      '/usr/bin/az cosmosdb sql container show --account-name pippai-cosmos-prod --database-name orders --name orders --resource-group rg-prod    --query resource.id',
    ]);
    expect(parseServiceUnit('[Service]\nExecStart=-/bin/a\nExecStart=\nExecStart=@/bin/b b\n').execStart).toEqual(['/bin/b b']);
    expect(parseServiceUnit('[Unit]\nExecStart=/bin/a\n').execStart).toEqual([]);
  });
});
