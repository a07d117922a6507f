import { isTbd } from '../../../config/tbd.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import { unverifiedOf } from '../../lib/failure.js';
import { combine, type Part } from '../../lib/parts.js';
import { callRefs, callText, callUnverified, tokenRefs, tokenText, tokenUnverified } from '../../lib/zoho.js';
import { zohoGapRows } from '../../lib/gaps.js';

/**
 * zoho.prod-org-id — the production organization id is set, differs from the dev/sandbox org,
 * and is an active org the production token sees. Books/Inventory document no `is_sandbox`
 * field; a Books sandbox is a separate organization listed by `GET /sandboxes` of the
 * production org (https://www.zoho.com/books/api/v3/sandbox) — and of every other org the token
 * sees (`sandboxesOf`), so a prod id that is another org's sandbox is caught from that side too — so the prod id must not be in
 * that list where the API offers it (research file, section B).
 */
export const check = defineCheck({
  meta: {
    id: 'zoho.prod-org-id',
    section: 'zoho',
    title: 'The production Zoho organization id is configured, active, and differs from the sandbox org',
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Set zoho.prod.orgId to the production organization's id (Books: Settings → Organization Profile) and make sure it is not the sandbox org.",
      url: 'https://www.zoho.com/books/api/v3/organizations/',
    },
    runs: 'Zoho organizations list (GET /books/v3/organizations) with the prod token, and the sandbox list (GET /sandboxes) of every org it sees',
  },
  requires: [],
  uses: ['zoho.prod'],
  gapRows: zohoGapRows,
  evaluate(facts, { config }) {
    const { prod, dev } = config.zoho;
    if (isTbd(prod.orgId)) {
      return { status: 'fail', summary: 'zoho.prod.orgId is TBD: the production organization is not decided', evidence: [{ text: 'predeploy.yaml zoho.prod.orgId: TBD' }] };
    }
    const parts: Part[] = [];
    const evidence: Evidence[] = [{ text: `configured: prod org ${prod.orgId}, dev org ${dev.orgId}${dev.sandbox ? ' (sandbox)' : ''}` }];
    if (prod.orgId === dev.orgId) parts.push({ status: 'fail', text: `zoho.prod.orgId equals the dev/sandbox org id (${dev.orgId})` });
    if (prod.sandbox) parts.push({ status: 'fail', text: 'zoho.prod.sandbox is true: the production entry describes a sandbox org' });

    const live = facts.maybe('zoho.prod');
    if (!live) {
      parts.push({ status: 'unknown', text: 'not checked against Zoho: the Zoho probe did not run', unverified: [unverifiedOf('zoho.prod', live) as Unverified] });
    } else if (!live.ok) {
      parts.push({ status: 'unknown', text: `not checked against Zoho: ${live.detail}`, refs: live.refs, unverified: [unverifiedOf('zoho.prod', live) as Unverified] });
    } else {
      const z = live.value;
      const orgs = z.organizations;
      if (z.token.status !== 'ok') {
        const u = tokenUnverified(z);
        parts.push({ status: 'unknown', text: `organizations not listed: ${tokenText(z)}`, refs: tokenRefs(z.token), ...(u ? { unverified: [u] } : {}) });
      } else if (orgs.status !== 'ok') {
        const u = callUnverified('organizations', orgs, z);
        parts.push({ status: 'unknown', text: callText('organizations', orgs), refs: callRefs(orgs), ...(u ? { unverified: [u] } : {}) });
      } else {
        const refs = callRefs(orgs);
        const org = orgs.value.find((o) => o.id === prod.orgId);
        const seen = orgs.value.map((o) => o.id).join(', ') || 'none';
        if (!org) {
          parts.push({ status: 'fail', text: `org ${prod.orgId} is not among the ${orgs.value.length} organizations the production token sees (${seen})`, refs });
        } else if (org.active === false) {
          parts.push({ status: 'fail', text: `org ${org.name} (${org.id}) is not active (is_org_active false)`, refs });
        } else {
          const plan = org.planName !== undefined ? `, plan ${org.planName}` : '';
          parts.push(
            org.active === null
              ? { status: 'warn', text: `org ${org.name} (${org.id}) is listed, but the answer has no is_org_active${plan}`, refs }
              : { status: 'pass', text: `org ${org.name} (${org.id}) is listed and active${plan}`, refs },
          );
          // No documented sandbox flag: a name saying so is a hint worth a look, not proof.
          if (/\bsandbox\b/i.test(org.name)) parts.push({ status: 'warn', text: `the production org's name "${org.name}" says sandbox`, refs });
        }
      }
      // a sandbox seen from the other side: the prod org id is listed as a sandbox of another org
      for (const parent of z.sandboxesOf ?? []) {
        if (parent.call.status === 'ok' && parent.call.value.includes(prod.orgId)) {
          parts.push({ status: 'fail', text: `org ${prod.orgId} is a sandbox of org ${parent.name || '(no name)'} (${parent.orgId}) (GET /sandboxes?organization_id=${parent.orgId})`, refs: callRefs(parent.call) });
        }
      }
      const sb = z.sandboxes;
      if (sb.status === 'ok') {
        if (sb.value.includes(prod.orgId)) {
          parts.push({ status: 'fail', text: `org ${prod.orgId} is in the sandbox list of the production org (GET /sandboxes)`, refs: callRefs(sb) });
        } else {
          evidence.push({ text: `not in the sandbox list (${sb.value.length} sandbox id${sb.value.length === 1 ? '' : 's'}: ${sb.value.join(', ') || 'none'})`, refs: callRefs(sb) });
        }
      } else {
        // The sandbox API is an early-access Books feature: its absence is a note, not a gap.
        evidence.push({ text: callText('sandbox list', sb), ...(callRefs(sb).length > 0 ? { refs: callRefs(sb) } : {}) });
      }
    }
    return combine(parts, evidence);
  },
});
