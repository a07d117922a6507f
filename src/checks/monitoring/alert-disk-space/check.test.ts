import { describeAlertCheck } from '../../../../test/fixtures/azure/alert-cases.js';
import { check } from './check.js';

describeAlertCheck(check, /disk space low: covered by log alert rule 'disk-free-space-low'/);
