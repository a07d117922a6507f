import { describeAlertCheck } from '../../../../test/fixtures/azure/alert-cases.js';
import { check } from './check.js';

describeAlertCheck(check, /high error rate: covered by log alert rule 'http-5xx-rate'/);
