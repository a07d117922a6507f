import { describeAttestedCheck } from '../../../../test/fixtures/golive/attested-cases.js';
import { check } from './check.js';

describeAttestedCheck(check, { severity: 'high', blocker: true });
