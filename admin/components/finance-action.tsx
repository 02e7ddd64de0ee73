// Record actions of the finance panel: "Refund…" (amount + reason), "Cancel" and "Reject…"
// (reason), "Issue to users…" (member ids, usernames or e-mails), "Approve", "Cancel at period
// end" and "Resume" (a confirming click). Every one POSTs to its action, which calls the same
// service as the public API; a refusal comes back as an error notice and nothing changes.
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, Text, TextArea } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';

const api = new ApiClient();

const INTRO: Record<string, string> = {
  refund: 'Refunds part or all of this payment through the gateway. Finance refunds are overrides of the refund policy: the reason is kept in the audit log.',
  cancelPayment: 'Before capture the authorisation is voided and the coupon given back; after capture the payment is refunded in full.',
  approve: 'Returns the reserved amount to the member through the gateway.',
  reject: 'Refuses the refund; the reserved amount becomes refundable again.',
  issueToUsers: 'Issues one copy of this coupon to each member listed (ids, usernames or e-mails, separated by commas, spaces or lines). All or nothing, within the coupon’s limits.',
  cancelAtPeriodEnd: 'The subscription stays active until the end of the paid period and is not renewed.',
  resume: 'The subscription renews again at the end of the period.',
};

const BUTTON: Record<string, string> = {
  refund: 'Refund',
  cancelPayment: 'Cancel payment',
  approve: 'Approve refund',
  reject: 'Reject refund',
  issueToUsers: 'Issue coupons',
  cancelAtPeriodEnd: 'Cancel at period end',
  resume: 'Resume subscription',
};

const FinanceAction: React.FC<ActionProps> = ({ action, record, resource }) => {
  const name = action.name;
  const p = record?.params ?? {};
  const remaining = Math.max(0, Number(p.amountTotal ?? 0) - Number(p.refundedAmount ?? 0));
  const [amount, setAmount] = useState(name === 'refund' ? String(remaining) : '');
  const [reason, setReason] = useState('');
  const [users, setUsers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const navigate = useNavigate();
  const needsReason = name === 'refund' || name === 'cancelPayment' || name === 'reject';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!record) return;
    if (name === 'refund' && !/^\d+$/.test(amount.trim())) return setError('Enter a whole amount in minor units.');
    if (needsReason && !reason.trim()) return setError('Write a reason.');
    if (name === 'issueToUsers' && !users.trim()) return setError('List at least one member.');
    setError(null);
    setBusy(true);
    try {
      const res = await api.recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: name, method: 'post', data: { amount, reason, users } });
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

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid={`finance-${name}`}>
      <Text mb="lg">{INTRO[name] ?? ''}</Text>
      {name === 'refund' ? (
        <FormGroup>
          <Label required htmlFor="refund-amount">
            Amount ({String(p.currency ?? '')}, minor units; at most {remaining})
          </Label>
          <Input id="refund-amount" name="amount" value={amount} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setAmount(e.target.value)} />
        </FormGroup>
      ) : null}
      {name === 'issueToUsers' ? (
        <FormGroup>
          <Label required htmlFor="issue-users">
            Members
          </Label>
          <TextArea id="issue-users" name="users" width="100%" rows={4} value={users} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setUsers(e.target.value)} />
        </FormGroup>
      ) : null}
      {needsReason ? (
        <FormGroup>
          <Label required htmlFor="finance-reason">
            Reason
          </Label>
          <TextArea id="finance-reason" name="reason" width="100%" rows={3} maxLength={500} value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
        </FormGroup>
      ) : null}
      <FormGroup error={!!error}>
        <FormMessage>{error}</FormMessage>
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy}>
        {BUTTON[name] ?? name}
      </Button>
    </Box>
  );
};

export default FinanceAction;
