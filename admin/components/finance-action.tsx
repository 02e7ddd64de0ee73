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
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';
import { formatDateTime, formatMoney, withElements } from './format.js';

const api = new ApiClient();

// Texts: the locale files' finIntro_<action>, finButton_<action> and finRule_<rule> (why the policy
// decided what it did, in words; the rule names are docs/payments.md's).
const ACTIONS = ['refund', 'cancelPayment', 'approve', 'reject', 'issueToUsers', 'cancelAtPeriodEnd', 'resume'];

type Policy = { rule: string; refundable: number; remaining: number; immediate: boolean; currency: string; windowEndsAt: string | null; paid: number; alreadyRefunded: number };
type CancelInfo = { captured: boolean; amount: number; currency: string };

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
  const { tm, ta } = useTranslation();
  const known = ACTIONS.includes(name);
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
      .catch(() => live && setError(tm('finPolicyLoadFailed')));
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
    if (name === 'refund' && !/^\d+$/.test(amount.trim())) return setError(tm('finWholeAmount'));
    if (name === 'refund' && !override && policy && Number(amount) > policy.refundable) return setError(tm('finPolicyMax', undefined, { amount: formatMoney(policy.refundable, currency) }));
    if (needsReason && !reason.trim()) return setError(tm('writeReason'));
    if (name === 'cancelPayment' && !confirmed) return setError(tm('finConfirmFirst'));
    if (name === 'issueToUsers' && !users.trim()) return setError(tm('finListMembers'));
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
      notice({ message: tm('actionFailed'), type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const policyBlocks = name === 'refund' && policy && policy.refundable === 0 && !override;

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid={`finance-${name}`}>
      <Text mb="lg">{known ? tm(`finIntro_${name}`) : ''}</Text>
      {name === 'refund' ? (
        <Box mb="xl" p="lg" border="default" data-testid="refund-policy" data-rule={policy?.rule ?? ''} data-refundable={policy ? String(policy.refundable) : ''}>
          {policy ? (
            <>
              <Text fontWeight="bold" data-testid="refund-policy-summary">
                {React.Children.toArray(withElements(tm, 'finPolicy', { refundable: formatMoney(policy.refundable, policy.currency), paid: formatMoney(policy.paid, policy.currency) }, { rule: <code>{policy.rule}</code> }))}
                {policy.alreadyRefunded ? ` ${tm('finAlreadyRefunded', undefined, { amount: formatMoney(policy.alreadyRefunded, policy.currency) })}` : ''}
              </Text>
              <Text mt="sm" data-testid="refund-policy-why">{tm(`finRule_${policy.rule}`, undefined, { defaultValue: '' })}</Text>
              {policy.windowEndsAt ? <Text mt="sm" color="grey60">{tm('finWindowEnds', undefined, { at: formatDateTime(policy.windowEndsAt) })}</Text> : null}
            </>
          ) : (
            <Text color="grey60">{tm('finPolicyLoading')}</Text>
          )}
        </Box>
      ) : null}
      {name === 'refund' ? (
        <FormGroup>
          <Label htmlFor="refund-override">
            <input id="refund-override" name="override" type="checkbox" data-testid="refund-override" checked={override} onChange={(e) => switchOverride(e.target.checked)} />{' '}
            {tm('finOverride', undefined, { max: formatMoney(policy?.remaining ?? remaining, currency) })}
          </Label>
        </FormGroup>
      ) : null}
      {name === 'refund' ? (
        <FormGroup>
          <Label required htmlFor="refund-amount">
            {tm('finAmount', undefined, { currency, max: override ? (policy?.remaining ?? remaining) : (policy?.refundable ?? '…') })}
          </Label>
          <Input id="refund-amount" name="amount" value={amount} disabled={!policy} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setAmount(e.target.value)} />
        </FormGroup>
      ) : null}
      {name === 'cancelPayment' && cancelInfo ? (
        <Box mb="xl" p="lg" border="default" data-testid="cancel-amount" data-amount={String(cancelInfo.amount)}>
          <Text fontWeight="bold">
            {cancelInfo.captured ? tm('finCancelCaptured', undefined, { amount: formatMoney(cancelInfo.amount, cancelInfo.currency) }) : tm('finCancelNotCaptured')}
          </Text>
          <Label htmlFor="cancel-confirm" mt="default">
            <input id="cancel-confirm" name="confirm" type="checkbox" data-testid="cancel-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />{' '}
            {cancelInfo.captured ? tm('finConfirmRefund', undefined, { amount: formatMoney(cancelInfo.amount, cancelInfo.currency) }) : tm('finConfirmCancel')}
          </Label>
        </Box>
      ) : null}
      {name === 'issueToUsers' ? (
        <FormGroup>
          <Label required htmlFor="issue-users">
            {tm('finMembers')}
          </Label>
          <TextArea id="issue-users" name="users" width="100%" rows={4} value={users} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setUsers(e.target.value)} />
        </FormGroup>
      ) : null}
      {needsReason || name === 'refund' ? (
        <FormGroup>
          <Label required={needsReason} htmlFor="finance-reason">
            {tm(needsReason ? 'reasonLabel' : 'reasonOptional')}
          </Label>
          <TextArea id="finance-reason" name="reason" width="100%" rows={3} maxLength={500} value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
        </FormGroup>
      ) : null}
      <FormGroup error={!!error}>
        <FormMessage>{error}</FormMessage>
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !!policyBlocks || (name === 'cancelPayment' && !confirmed)} data-testid={`finance-${name}-submit`}>
        {name === 'refund' && policy && !override ? tm('finRefundAmount', undefined, { amount: formatMoney(Number(amount) || 0, currency) }) : known ? tm(`finButton_${name}`) : ta(name, resource.id)}
      </Button>
    </Box>
  );
};

export default FinanceAction;
