import { describeAlertCheck } from '../../../../test/fixtures/azure/alert-cases.js';
import { check } from './check.js';

describeAlertCheck(check, /TLS certificate expiring: covered by standard web test 'orders-health'/);
