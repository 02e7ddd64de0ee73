// On a payment's show page: the method as staff read it ("Visa •••• 4242"), the gateway and its
// reference, the payment's refunds (each linked to its record) and its status history (the
// lifecycle times, then every audit entry of the payment and its refunds) — read through the
// payments resource's `details` record action.
import React from 'react';
import { ViewHelpers, useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, H5, Link, Table, TableBody, TableCell, TableHead, TableRow, Text, ValueGroup } from '@adminjs/design-system';
import { formatDateTime, formatMoney, withElements } from './format.js';
import { useRecordAction } from './record-action.js';

const h = new ViewHelpers();

type Refund = { id: number; code: string; amount: number; currency: string; status: string; rule: string; reason: string | null; gatewayRef: string | null; createdAt: string | null; completedAt: string | null };
type Step = { at: string; status: string; note: string | null; actor: string | null; source: string };
type Details = { method: string | null; gateway: string; gatewayRef: string | null; currency: string; refundable: number; refunds: Refund[]; history: Step[] };

const PaymentDetails: React.FC<BasePropertyProps> = ({ record, property }) => {
  const { translateProperty, tm, tl } = useTranslation();
  const status = (v: string) => tl(`status.${v}`, undefined, { defaultValue: v });
  const { data: details, error } = useRecordAction({ record, property }, 'details', (d) => (d as { details: Details }).details);

  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <Box data-testid="payment-details">
        {error && <Text color="error">{tm('payLoadFailed')}</Text>}
        {!error && !details && <Text color="grey60">{tm('loading')}</Text>}
        {details && (
          <>
            <Box mb="xl">
              <Text data-testid="payment-method">{tm('payMethod', undefined, { method: details.method ?? '—' })}</Text>
              <Text data-testid="payment-gateway-ref">{React.Children.toArray(withElements(tm, 'payGateway', { gateway: details.gateway }, { ref: <code>{details.gatewayRef ?? '—'}</code> }))}</Text>
              <Text>{tm('payRefundable', undefined, { amount: formatMoney(details.refundable, details.currency) })}</Text>
            </Box>
            <Box mb="xl" data-testid="payment-refunds">
              <H5>{tm('payRefunds', undefined, { count: details.refunds.length })}</H5>
              {details.refunds.length === 0 ? (
                <Text color="grey60">{tm('none')}</Text>
              ) : (
                <Table>
                  <TableHead>
                    <TableRow>
                      <TableCell>{tm('payColRefund')}</TableCell>
                      <TableCell>{tm('maAmount')}</TableCell>
                      <TableCell>{tm('maStatus')}</TableCell>
                      <TableCell>{tm('payColRule')}</TableCell>
                      <TableCell>{tm('reasonLabel')}</TableCell>
                      <TableCell>{tm('payColRequested')}</TableCell>
                      <TableCell>{tm('payColGatewayRef')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {details.refunds.map((r) => (
                      <TableRow key={r.id} data-testid={`payment-refund-${r.id}`}>
                        <TableCell>
                          <Link href={h.recordActionUrl({ resourceId: 'refunds', recordId: String(r.id), actionName: 'show' })}>{r.code}</Link>
                        </TableCell>
                        <TableCell>{formatMoney(r.amount, r.currency)}</TableCell>
                        <TableCell>{status(r.status)}</TableCell>
                        <TableCell>{r.rule}</TableCell>
                        <TableCell>{r.reason ?? ''}</TableCell>
                        <TableCell>{formatDateTime(r.createdAt)}</TableCell>
                        <TableCell>{r.gatewayRef ?? '—'}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </Box>
            <Box data-testid="payment-history">
              <H5>{tm('payHistory')}</H5>
              <Table>
                <TableHead>
                  <TableRow>
                    <TableCell>{tm('payColAt')}</TableCell>
                    <TableCell>{tm('maStatus')}</TableCell>
                    <TableCell>{tm('maWhat')}</TableCell>
                    <TableCell>{tm('payColBy')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {details.history.map((h, i) => (
                    <TableRow key={i}>
                      <TableCell>{formatDateTime(h.at, undefined, true)}</TableCell>
                      <TableCell>{status(h.status)}</TableCell>
                      <TableCell>{h.note ?? ''}</TableCell>
                      <TableCell>{h.actor ?? (h.source === 'payment' ? '' : tm('paySystem'))}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          </>
        )}
      </Box>
    </ValueGroup>
  );
};

export default PaymentDetails;
