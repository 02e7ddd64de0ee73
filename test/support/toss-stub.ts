// A local stand-in for the Toss Payments core API v1 (node:http on 127.0.0.1, random port), following
// the documented requests and responses:
//   Authorization: Basic base64(secretKey + ':')        else 401 {code: UNAUTHORIZED_KEY}
//   POST /v1/payments/confirm {paymentKey, orderId, amount}
//        → 200 Payment (status DONE, balanceAmount = totalAmount); the paymentKey must come from a
//          checkout (what the widget does) and orderId/amount must match it
//   POST /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount?}
//        → 200 Payment (PARTIAL_CANCELED / CANCELED, balanceAmount lowered, cancels[] appended);
//          cancelAmount over the balance → 403 {code: NOT_CANCELABLE_AMOUNT}
//   GET  /v1/payments/{paymentKey} → 200 Payment | 404 {code: NOT_FOUND_PAYMENT}
// A POST repeated with the same Idempotency-Key gets the first response again, unchanged.
// What happens outside our API calls, for webhook tests: a cancel from the merchant dashboard
// (dashboardCancel), a virtual account that waits for its deposit (checkout waitForDeposit, then
// deposit or expire), and the PAYMENT_STATUS_CHANGED webhook body Toss sends about a payment
// ({eventType, createdAt, data: Payment}; webhookBody), signed as our relay signs it (signedWebhook).
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubCancel {
  transactionKey: string;
  cancelReason: string;
  canceledAt: string;
  cancelAmount: number;
  taxFreeAmount: number;
  refundableAmount: number;
  cancelStatus: 'DONE';
}

export interface StubPayment {
  mId: string;
  version: string;
  paymentKey: string;
  orderId: string;
  orderName: string;
  currency: string;
  method: string;
  status: 'IN_PROGRESS' | 'WAITING_FOR_DEPOSIT' | 'DONE' | 'PARTIAL_CANCELED' | 'CANCELED' | 'ABORTED' | 'EXPIRED';
  totalAmount: number;
  balanceAmount: number;
  suppliedAmount: number;
  vat: number;
  taxFreeAmount: number;
  requestedAt: string;
  approvedAt: string | null;
  lastTransactionKey: string | null;
  cancels: StubCancel[] | null;
  failure: { code: string; message: string } | null;
  isPartialCancelable: boolean;
  type: 'NORMAL';
  country: 'KR';
}

export interface CheckoutOptions {
  orderId: string;
  amount: number;
  currency?: string;
  orderName?: string;
  paymentKey?: string;
  /** Make the confirm fail like a refusing card company: e.g. {status: 403, code: 'REJECT_CARD_COMPANY', message}. */
  reject?: { status: number; code: string; message: string };
  /** A virtual account (가상계좌): confirm answers WAITING_FOR_DEPOSIT until deposit() (or expire()). */
  waitForDeposit?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface TossStub {
  readonly baseUrl: string;
  readonly secretKey: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** How many POSTs were answered from the Idempotency-Key cache. */
  replays: number;
  /** Answer each request this long after processing it (timeout tests: the effect happens, the answer is late). */
  delayMs: number;
  /** What the checkout widget does: registers a payment for orderId/amount and returns its paymentKey. */
  checkout(options: CheckoutOptions): string;
  /** The stub's current record of a payment (a copy). */
  payment(paymentKey: string): StubPayment | undefined;
  /** A cancel made in the Toss merchant dashboard (not through the API): the payment after it; throws when Toss would refuse. */
  dashboardCancel(paymentKey: string, options: { cancelReason: string; cancelAmount?: number }): StubPayment;
  /** The member paid into the virtual account: WAITING_FOR_DEPOSIT → DONE. */
  deposit(paymentKey: string): StubPayment;
  /** Nobody finished (or paid into the virtual account) in time: → EXPIRED. */
  expire(paymentKey: string): StubPayment;
  /** The body of the PAYMENT_STATUS_CHANGED webhook Toss sends now about this payment (exact bytes to sign). */
  webhookBody(paymentKey: string, extra?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** The relay's signature of a webhook body: hex HMAC-SHA256(secret, raw body). */
export function signedWebhook(body: string, secret: string): { body: string; signature: string } {
  return { body, signature: createHmac('sha256', secret).update(body).digest('hex') };
}

const MESSAGES = {
  UNAUTHORIZED_KEY: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.',
  NOT_FOUND_PAYMENT: '존재하지 않는 결제 정보 입니다.',
  NOT_FOUND_PAYMENT_SESSION: '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.',
  ALREADY_PROCESSED_PAYMENT: '이미 처리된 결제 입니다.',
  ALREADY_CANCELED_PAYMENT: '이미 취소된 결제 입니다.',
  NOT_CANCELABLE_AMOUNT: '취소 할 수 없는 금액 입니다.',
  NOT_CANCELABLE_PAYMENT: '취소 할 수 없는 결제 입니다.',
  INVALID_REQUEST: '잘못된 요청입니다.',
  NOT_FOUND: '존재하지 않는 정보 입니다.',
} as const;

type Reply = { status: number; body: unknown };

const err = (status: number, code: keyof typeof MESSAGES, message: string = MESSAGES[code]): Reply => ({ status, body: { code, message } });
const key = () => randomBytes(16).toString('hex').toUpperCase();
const nowIso = () => new Date().toISOString();

export async function startTossStub(options: { secretKey?: string } = {}): Promise<TossStub> {
  const secretKey = options.secretKey ?? `test_sk_${randomBytes(8).toString('hex')}`;
  const expectedAuth = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
  const payments = new Map<string, StubPayment>();
  const checkouts = new Map<string, CheckoutOptions>();
  const idempotent = new Map<string, Reply>();
  const requests: RecordedRequest[] = [];

  function confirm(body: Record<string, unknown>): Reply {
    const { paymentKey, orderId, amount } = body;
    if (typeof paymentKey !== 'string' || typeof orderId !== 'string' || typeof amount !== 'number') return err(400, 'INVALID_REQUEST');
    const co = checkouts.get(paymentKey);
    const p = payments.get(paymentKey);
    if (!co || !p) return err(404, 'NOT_FOUND_PAYMENT_SESSION');
    if (p.status !== 'IN_PROGRESS') return err(400, 'ALREADY_PROCESSED_PAYMENT');
    if (co.orderId !== orderId) return err(400, 'INVALID_REQUEST', '주문번호가 일치하지 않습니다.');
    if (co.amount !== amount) return err(400, 'INVALID_REQUEST', '결제 금액이 일치하지 않습니다.');
    if (co.reject) {
      p.status = 'ABORTED';
      p.failure = { code: co.reject.code, message: co.reject.message };
      return { status: co.reject.status, body: { code: co.reject.code, message: co.reject.message } };
    }
    p.lastTransactionKey = key();
    if (co.waitForDeposit) {
      p.status = 'WAITING_FOR_DEPOSIT';
      p.method = '가상계좌';
      return { status: 200, body: structuredClone(p) };
    }
    p.status = 'DONE';
    p.approvedAt = nowIso();
    return { status: 200, body: structuredClone(p) };
  }

  function cancel(paymentKey: string, body: Record<string, unknown>): Reply {
    const p = payments.get(paymentKey);
    if (!p) return err(404, 'NOT_FOUND_PAYMENT');
    const { cancelReason, cancelAmount } = body;
    if (typeof cancelReason !== 'string' || !cancelReason.trim() || cancelReason.length > 200) return err(400, 'INVALID_REQUEST', 'cancelReason은 필수입니다.');
    if (cancelAmount !== undefined && (typeof cancelAmount !== 'number' || !(cancelAmount > 0))) return err(400, 'INVALID_REQUEST');
    if (p.status === 'CANCELED') return err(400, 'ALREADY_CANCELED_PAYMENT');
    if (p.status !== 'DONE' && p.status !== 'PARTIAL_CANCELED') return err(403, 'NOT_CANCELABLE_PAYMENT');
    const amount = (cancelAmount as number | undefined) ?? p.balanceAmount;
    if (amount > p.balanceAmount) return err(403, 'NOT_CANCELABLE_AMOUNT');
    p.balanceAmount -= amount;
    p.status = p.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    p.lastTransactionKey = key();
    (p.cancels ??= []).push({
      transactionKey: p.lastTransactionKey,
      cancelReason,
      canceledAt: nowIso(),
      cancelAmount: amount,
      taxFreeAmount: 0,
      refundableAmount: p.balanceAmount,
      cancelStatus: 'DONE',
    });
    return { status: 200, body: structuredClone(p) };
  }

  async function route(req: http.IncomingMessage, raw: string): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://stub');
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return err(400, 'INVALID_REQUEST');
      }
    }
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body: req.method === 'POST' ? body : undefined });
    if (req.headers.authorization !== expectedAuth) return err(401, 'UNAUTHORIZED_KEY');

    const idemKey = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    if (typeof idemKey === 'string' && idempotent.has(idemKey)) {
      stub.replays += 1;
      return structuredClone(idempotent.get(idemKey)!);
    }
    let reply: Reply;
    const cancelMatch = /^\/v1\/payments\/([^/]+)\/cancel$/.exec(url.pathname);
    const getMatch = /^\/v1\/payments\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/v1/payments/confirm') reply = confirm(body);
    else if (req.method === 'POST' && cancelMatch) reply = cancel(decodeURIComponent(cancelMatch[1]), body);
    else if (req.method === 'GET' && getMatch && getMatch[1] !== 'confirm') {
      const p = payments.get(decodeURIComponent(getMatch[1]));
      reply = p ? { status: 200, body: structuredClone(p) } : err(404, 'NOT_FOUND_PAYMENT');
    } else reply = err(404, 'NOT_FOUND');
    if (typeof idemKey === 'string') idempotent.set(idemKey, structuredClone(reply));
    return reply;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Processed at once, answered after delayMs: a client that times out does not know the outcome.
      const delay = stub.delayMs;
      route(req, Buffer.concat(chunks).toString('utf8')).then(
        async (reply) => {
          if (delay > 0) await new Promise((r) => setTimeout(r, delay));
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(reply.body));
        },
        (e: unknown) => {
          if (!res.destroyed) res.writeHead(500).end(JSON.stringify({ code: 'FAILED_INTERNAL_SYSTEM_PROCESSING', message: String(e) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const stub: TossStub = {
    baseUrl: `http://127.0.0.1:${port}`,
    secretKey,
    requests,
    replays: 0,
    delayMs: 0,
    checkout(o: CheckoutOptions): string {
      const paymentKey = o.paymentKey ?? `tgen_${randomBytes(10).toString('hex')}`;
      checkouts.set(paymentKey, o);
      const vat = Math.floor(o.amount / 11);
      payments.set(paymentKey, {
        mId: 'tosspayments',
        version: '2022-11-16',
        paymentKey,
        orderId: o.orderId,
        orderName: o.orderName ?? 'Marquee',
        currency: o.currency ?? 'KRW',
        method: '카드',
        status: 'IN_PROGRESS',
        totalAmount: o.amount,
        balanceAmount: o.amount,
        suppliedAmount: o.amount - vat,
        vat,
        taxFreeAmount: 0,
        requestedAt: nowIso(),
        approvedAt: null,
        lastTransactionKey: null,
        cancels: null,
        failure: null,
        isPartialCancelable: true,
        type: 'NORMAL',
        country: 'KR',
      });
      return paymentKey;
    },
    payment(paymentKey: string) {
      const p = payments.get(paymentKey);
      return p ? structuredClone(p) : undefined;
    },
    dashboardCancel(paymentKey, o) {
      const reply = cancel(paymentKey, { cancelReason: o.cancelReason, ...(o.cancelAmount !== undefined ? { cancelAmount: o.cancelAmount } : {}) });
      if (reply.status !== 200) throw new Error(`dashboard cancel refused: ${JSON.stringify(reply.body)}`);
      return reply.body as StubPayment;
    },
    deposit(paymentKey) {
      const p = payments.get(paymentKey);
      if (!p || p.status !== 'WAITING_FOR_DEPOSIT') throw new Error(`payment ${paymentKey} is not waiting for a deposit`);
      p.status = 'DONE';
      p.approvedAt = nowIso();
      p.lastTransactionKey = key();
      return structuredClone(p);
    },
    expire(paymentKey) {
      const p = payments.get(paymentKey);
      if (!p || (p.status !== 'WAITING_FOR_DEPOSIT' && p.status !== 'IN_PROGRESS')) throw new Error(`payment ${paymentKey} cannot expire`);
      p.status = 'EXPIRED';
      return structuredClone(p);
    },
    webhookBody(paymentKey, extra = {}) {
      const p = payments.get(paymentKey);
      if (!p) throw new Error(`no payment ${paymentKey}`);
      return JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: nowIso(), data: structuredClone(p), ...extra });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
  return stub;
}
