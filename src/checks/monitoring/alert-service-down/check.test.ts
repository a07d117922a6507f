import { describeAlertCheck } from '../../../../test/fixtures/azure/alert-cases.js';
import { check } from './check.js';

describeAlertCheck(check, /service down: covered by .*'(service-heartbeat-missing|orders-health)' \(notifies ag-orders-oncall\)/);
