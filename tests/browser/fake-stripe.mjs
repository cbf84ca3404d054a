// A local stand-in for Stripe, for the browser journey: the two API calls Masthead makes and the
// hosted pages they lead to, speaking Stripe's wire format.
//
//   POST /v1/checkout/sessions        form-encoded, `Authorization: Bearer <key>` → {id, object, url}
//   GET  /c/pay/<session>             the hosted Checkout page, with a "Subscribe" button
//   POST /c/pay/<session>             "pays": sends the signed webhooks Stripe sends
//                                     (checkout.session.completed, customer.subscription.created)
//                                     to SITE/webhooks/stripe, then 303 to the session's success_url
//   POST /v1/billing_portal/sessions  form-encoded (customer, return_url) → {id, object, url}
//   GET  /p/session/<session>         the hosted Billing Portal, with a link back to return_url
//
// Webhooks are signed as Stripe signs them, independently of Masthead's code:
// `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>`.

import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

function id(prefix) {
  return `${prefix}_test_${randomBytes(12).toString('hex')}`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export function stripeSignature(payload, secret, t = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function json(res, status, value) {
  send(res, status, 'application/json', JSON.stringify(value));
}

/// Stripe's error shape.
function stripeError(res, status, message, param) {
  json(res, status, { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } });
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/// Starts the fake on 127.0.0.1:`port`. `siteUrl` receives the webhooks, signed with
/// `webhookSecret`; API calls must carry `apiKey`. Resolves to { origin, requests, webhooks, close }.
export async function startFakeStripe({ port, siteUrl, apiKey, webhookSecret, log = () => {} }) {
  const origin = `http://127.0.0.1:${port}`;
  const checkoutSessions = new Map();
  const portalSessions = new Map();
  const customers = new Set();
  const requests = [];
  const webhooks = [];

  async function deliver(type, object) {
    const event = {
      id: id('evt'), object: 'event', api_version: '2025-03-31.basil', type,
      created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1,
      data: { object },
    };
    const payload = JSON.stringify(event);
    const res = await fetch(`${siteUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(payload, webhookSecret), 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      body: payload,
    });
    const answer = await res.text();
    webhooks.push({ type, status: res.status, answer });
    log(`fake Stripe: ${type} → ${res.status} ${answer.slice(0, 80)}`);
    if (!res.ok) throw new Error(`the site refused the ${type} webhook: ${res.status} ${answer}`);
  }

  /// What Stripe does once the customer pays: a customer and a subscription exist, and the
  /// site hears of both at about the same time (sent together, as Stripe does).
  async function pay(session) {
    const customer = session.form.get('customer') ?? id('cus');
    customers.add(customer);
    const subscription = id('sub');
    const periodEnd = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const metadata = {
      tier: session.form.get('subscription_data[metadata][tier]') ?? '',
      member_id: session.form.get('subscription_data[metadata][member_id]') ?? '',
    };
    const completed = {
      id: session.id, object: 'checkout.session', mode: 'subscription', status: 'complete', payment_status: 'paid',
      customer, subscription, client_reference_id: session.form.get('client_reference_id'),
      customer_email: session.form.get('customer_email'), success_url: session.form.get('success_url'),
      metadata: { tier: session.form.get('metadata[tier]') ?? '', member_id: session.form.get('metadata[member_id]') ?? '' },
    };
    const created = {
      id: subscription, object: 'subscription', customer, status: 'active', cancel_at_period_end: false, metadata,
      items: { object: 'list', data: [{ id: id('si'), object: 'subscription_item', current_period_end: periodEnd, price: { id: id('price'), object: 'price', metadata: {} } }] },
    };
    await Promise.all([deliver('checkout.session.completed', completed), deliver('customer.subscription.created', created)]);
  }

  async function api(req, res, path) {
    const body = await readBody(req);
    const form = new URLSearchParams(body);
    requests.push({ path, authorization: req.headers.authorization ?? '', contentType: req.headers['content-type'] ?? '', form });
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return stripeError(res, 401, 'Invalid API Key provided.');
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return stripeError(res, 400, 'Stripe takes form-encoded request bodies.');
    }
    if (path === '/v1/checkout/sessions') {
      for (const param of ['mode', 'success_url', 'line_items[0][price_data][unit_amount]', 'line_items[0][price_data][currency]']) {
        if (!form.get(param)) return stripeError(res, 400, `Missing required param: ${param}.`, param);
      }
      if (form.get('mode') !== 'subscription') return stripeError(res, 400, 'Only subscription mode is faked.', 'mode');
      const session = { id: id('cs'), form };
      checkoutSessions.set(session.id, session);
      return json(res, 200, { id: session.id, object: 'checkout.session', mode: 'subscription', status: 'open', url: `${origin}/c/pay/${session.id}` });
    }
    if (path === '/v1/billing_portal/sessions') {
      const customer = form.get('customer');
      if (!customers.has(customer)) return stripeError(res, 400, `No such customer: '${customer}'`, 'customer');
      const session = { id: id('bps'), customer, returnUrl: form.get('return_url') };
      portalSessions.set(session.id, session);
      return json(res, 200, { id: session.id, object: 'billing_portal.session', customer, return_url: session.returnUrl, url: `${origin}/p/session/${session.id}` });
    }
    return stripeError(res, 404, `Unrecognized request URL (POST: ${path}).`);
  }

  async function hosted(req, res, path) {
    const checkout = path.match(/^\/c\/pay\/([A-Za-z0-9_]+)$/);
    if (checkout && checkoutSessions.has(checkout[1])) {
      const session = checkoutSessions.get(checkout[1]);
      if (req.method === 'GET') {
        const name = session.form.get('line_items[0][price_data][product_data][name]');
        const amount = Number(session.form.get('line_items[0][price_data][unit_amount]')) / 100;
        const interval = session.form.get('line_items[0][price_data][recurring][interval]');
        return send(res, 200, 'text/html; charset=utf-8', page('Fake Stripe Checkout', `<p class="product">${escapeHtml(name)}</p>` +
          `<p class="amount">${amount.toFixed(2)} ${escapeHtml(session.form.get('line_items[0][price_data][currency]'))} per ${escapeHtml(interval)}</p>` +
          `<form method="post" action="/c/pay/${session.id}"><button type="submit">Subscribe</button></form>`));
      }
      await readBody(req);
      await pay(session);
      return send(res, 303, 'text/plain', 'paid', { location: session.form.get('success_url') });
    }
    const portal = path.match(/^\/p\/session\/([A-Za-z0-9_]+)$/);
    if (portal && portalSessions.has(portal[1]) && req.method === 'GET') {
      const session = portalSessions.get(portal[1]);
      return send(res, 200, 'text/html; charset=utf-8', page('Fake Stripe Billing Portal', `<p class="customer">${escapeHtml(session.customer)}</p>` +
        `<p><a class="return" href="${escapeHtml(session.returnUrl)}">Return to the site</a></p>`));
    }
    return send(res, 404, 'text/plain', 'not found');
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url, origin).pathname;
    const handle = req.method === 'POST' && path.startsWith('/v1/') ? api(req, res, path) : hosted(req, res, path);
    handle.catch((err) => {
      log(`fake Stripe: ${req.method} ${path} failed: ${err.stack ?? err}`);
      if (!res.headersSent) send(res, 500, 'text/plain', String(err));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { origin, requests, webhooks, close: () => new Promise((resolve) => server.close(resolve)) };
}
