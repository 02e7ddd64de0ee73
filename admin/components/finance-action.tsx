// Record actions of the finance panel: "Refund…", "결제 취소 (전액 환불)" and "Reject…" (reason),
// "Issue to users…" (member ids, usernames or e-mails), "Approve", "Cancel at period end" and
// "Resume" (a confirming click). Every one POSTs to its action, which calls the same service as
// the public API; a refusal comes back as an error notice and nothing changes.
//
// "Refund…" first shows the refund policy's decision for the payment (rule, refundable amount,
// why — RefundsService.policy, the one POST /refunds/ decides with) and refunds that amount by
// default; refunding outside the policy is an explicit "override" switch that needs an amount
// and a reason. The cancel shows the amount it returns and asks for a confirmation.
import React, { useEffect, useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';
import { formatDateTime, formatMoney } from './format.js';

const api = new ApiClient();

const INTRO: Record<string, string> = {
  refund: 'Refunds this payment through the gateway under the refund policy below. An override refunds outside the policy; its reason is kept in the audit log.',
  cancelPayment: 'Before capture the authorisation is voided and the coupon given back; after capture the payment is refunded in full (결제 취소 = 전액 환불).',
  approve: 'Returns the reserved amount to the member through the gateway.',
  reject: 'Refuses the refund; the reserved amount becomes refundable again.',
  issueToUsers: 'Issues one copy of this coupon to each member listed (ids, usernames or e-mails, separated by commas, spaces or lines). All or nothing, within the coupon’s limits.',
  cancelAtPeriodEnd: 'The subscription stays active until the end of the paid period and is not renewed.',
  resume: 'The subscription renews again at the end of the period.',
};

const BUTTON: Record<string, string> = {
  refund: 'Refund',
  cancelPayment: '결제 취소 (전액 환불)',
  approve: 'Approve refund',
  reject: 'Reject refund',
  issueToUsers: 'Issue coupons',
  cancelAtPeriodEnd: 'Cancel at period end',
  resume: 'Resume subscription',
};

type Policy = { rule: string; refundable: number; remaining: number; immediate: boolean; currency: string; windowEndsAt: string | null; paid: number; alreadyRefunded: number };
type CancelInfo = { captured: boolean; amount: number; currency: string };

/** Why the policy decided what it did, in words (the rule names are docs/payments.md's). */
const RULE_WHY: Record<string, string> = {
  full_7d_unwatched: 'Paid within the last 7 days and nothing watched since: everything not yet refunded.',
  prorated: 'Subscription watched or past the 7 days, period still running: the unused part of the period.',
  period_ended: 'The subscription period is over: nothing is refundable under the policy.',
  item_watched: 'The movie was watched: nothing is refundable under the policy.',
  item_window_passed: 'More than 7 days since payment: nothing is refundable under the policy.',
  fully_refunded: 'Already refunded in full.',
  not_refundable: 'Only paid or partially refunded payments can be refunded.',
};

const FinanceAction: React.FC<ActionProps> = ({ action, record, resource }) => {
  const name = action.name;
  const p = record?.params ?? {};
  const currency = String(p.currency ?? 'KRW');
  const remaining = Math.max(0, Number(p.amountTotal ?? 0) - Number(p.refundedAmount ?? 0));
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [users, setUsers] = useState('');
  const [override, setOverride] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [cancelInfo, setCancelInfo] = useState<CancelInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const navigate = useNavigate();
  const needsReason = (name === 'refund' && override) || name === 'cancelPayment' || name === 'reject';

  // The GET of the action answers what the form needs to show first (the policy, the cancel amount).
  useEffect(() => {
    if (!record || (name !== 'refund' && name !== 'cancelPayment')) return;
    let live = true;
    api
      .recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: name })
      .then((res) => {
        if (!live) return;
        const data = res.data as { policy?: Policy; cancel?: CancelInfo };
        if (data.policy) {
          setPolicy(data.policy);
          setAmount(String(data.policy.refundable));
        }
        if (data.cancel) setCancelInfo(data.cancel);
      })
      .catch(() => live && setError('Could not load the refund policy.'));
    return () => {
      live = false;
    };
  }, [record?.id, name, resource.id]);

  const switchOverride = (on: boolean) => {
    setOverride(on);
    // Back to the policy: its amount again. Override: the field starts empty (an explicit amount).
    setAmount(on ? '' : String(policy?.refundable ?? ''));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!record) return;
    if (name === 'refund' && !/^\d+$/.test(amount.trim())) return setError('Enter a whole amount in minor units.');
    if (name === 'refund' && !override && policy && Number(amount) > policy.refundable) return setError(`The policy allows at most ${formatMoney(policy.refundable, currency)}; switch to override to refund more.`);
    if (needsReason && !reason.trim()) return setError('Write a reason.');
    if (name === 'cancelPayment' && !confirmed) return setError('Confirm the amount first.');
    if (name === 'issueToUsers' && !users.trim()) return setError('List at least one member.');
    setError(null);
    setBusy(true);
    try {
      const data: Record<string, string> = { amount, reason, users };
      if (name === 'refund') data.override = override ? 'true' : 'false';
      const res = await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: name, method: 'post', data });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; redirectUrl?: string };
      if (body.notice) notice(body.notice);
      if (body.notice?.type === 'error') setError(body.notice.message);
      else if (body.redirectUrl) navigate(body.redirectUrl.replace(/^https?:\/\/[^/]+/, ''));
    } catch {
      notice({ message: 'The action failed.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const policyBlocks = name === 'refund' && policy && policy.refundable === 0 && !override;

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid={`finance-${name}`}>
      <Text mb="lg">{INTRO[name] ?? ''}</Text>
      {name === 'refund' ? (
        <Box mb="xl" p="lg" border="default" data-testid="refund-policy" data-rule={policy?.rule ?? ''} data-refundable={policy ? String(policy.refundable) : ''}>
          {policy ? (
            <>
              <Text fontWeight="bold">
                Policy: <code>{policy.rule}</code> — refundable {formatMoney(policy.refundable, policy.currency)} of {formatMoney(policy.paid, policy.currency)}
                {policy.alreadyRefunded ? ` (${formatMoney(policy.alreadyRefunded, policy.currency)} refunded or reserved already)` : ''}
              </Text>
              <Text mt="sm">{RULE_WHY[policy.rule] ?? ''}</Text>
              {policy.windowEndsAt ? <Text mt="sm" color="grey60">Full-refund window ends {formatDateTime(policy.windowEndsAt)}.</Text> : null}
            </>
          ) : (
            <Text color="grey60">Loading the refund policy…</Text>
          )}
        </Box>
      ) : null}
      {name === 'refund' ? (
        <FormGroup>
          <Label htmlFor="refund-override">
            <input id="refund-override" name="override" type="checkbox" data-testid="refund-override" checked={override} onChange={(e) => switchOverride(e.target.checked)} /> Override the policy (up to{' '}
            {formatMoney(policy?.remaining ?? remaining, currency)}; a reason is required and audited)
          </Label>
        </FormGroup>
      ) : null}
      {name === 'refund' ? (
        <FormGroup>
          <Label required htmlFor="refund-amount">
            Amount ({currency}, minor units; at most {override ? (policy?.remaining ?? remaining) : (policy?.refundable ?? '…')})
          </Label>
          <Input id="refund-amount" name="amount" value={amount} disabled={!policy} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setAmount(e.target.value)} />
        </FormGroup>
      ) : null}
      {name === 'cancelPayment' && cancelInfo ? (
        <Box mb="xl" p="lg" border="default" data-testid="cancel-amount" data-amount={String(cancelInfo.amount)}>
          <Text fontWeight="bold">
            {cancelInfo.captured ? `환불 금액 (full refund): ${formatMoney(cancelInfo.amount, cancelInfo.currency)}` : 'Not captured yet: the authorisation is voided, nothing was charged.'}
          </Text>
          <Label htmlFor="cancel-confirm" mt="default">
            <input id="cancel-confirm" name="confirm" type="checkbox" data-testid="cancel-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {cancelInfo.captured ? `I confirm refunding ${formatMoney(cancelInfo.amount, cancelInfo.currency)} in full.` : 'I confirm cancelling this payment.'}
          </Label>
        </Box>
      ) : null}
      {name === 'issueToUsers' ? (
        <FormGroup>
          <Label required htmlFor="issue-users">
            Members
          </Label>
          <TextArea id="issue-users" name="users" width="100%" rows={4} value={users} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setUsers(e.target.value)} />
        </FormGroup>
      ) : null}
      {needsReason || name === 'refund' ? (
        <FormGroup>
          <Label required={needsReason} htmlFor="finance-reason">
            Reason{needsReason ? '' : ' (optional)'}
          </Label>
          <TextArea id="finance-reason" name="reason" width="100%" rows={3} maxLength={500} value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
        </FormGroup>
      ) : null}
      <FormGroup error={!!error}>
        <FormMessage>{error}</FormMessage>
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !!policyBlocks || (name === 'cancelPayment' && !confirmed)} data-testid={`finance-${name}-submit`}>
        {name === 'refund' && policy && !override ? `${BUTTON.refund} ${formatMoney(Number(amount) || 0, currency)}` : (BUTTON[name] ?? name)}
      </Button>
    </Box>
  );
};

export default FinanceAction;
