// A local stand-in for Stripe, for the browser journeys: the API calls Masthead makes and the
// hosted pages they lead to, speaking Stripe's wire format.
//
//   POST /v1/products, /v1/products/<id>  a tier's Product (create, update)
//   POST /v1/prices, /v1/prices/<id>      a tier's recurring Price (create; update, e.g. active=false)
//   POST /v1/coupons                      an offer's Coupon (percent_off or amount_off+currency,
//                                         duration once|repeating|forever, duration_in_months)
//   POST /v1/subscriptions/<id>           a coupon put on a subscription (discounts[0][coupon])
//   POST /v1/checkout/sessions            form-encoded, `Authorization: Bearer <key>` → {id, object, url};
//                                         priced by line_items[0][price] or [price_data], with an
//                                         optional discounts[0][coupon]
//   GET  /c/pay/<session>                 the hosted Checkout page (product, price, discount, total)
//                                         with a "Subscribe" button
//   POST /c/pay/<session>                 "pays": sends the signed webhooks Stripe sends
//                                         (checkout.session.completed, customer.subscription.created,
//                                         whose subscription carries the coupon's `discount` and the
//                                         session's subscription_data metadata) to SITE/webhooks/stripe,
//                                         then 303 to the session's success_url
//   POST /v1/billing_portal/sessions      form-encoded (customer, return_url) → {id, object, url}
//   GET  /p/session/<session>             the hosted Billing Portal, with a link back to return_url
//
// Every API call needs the Bearer key and a form body; an `Idempotency-Key` sent again with the
// same request answers the first answer again (no second object), and with a different request
// is refused, as Stripe does.
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

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/// The `prefix[key]` entries of a form, as an object (Stripe's nested-hash encoding, one level).
function hash(form, prefix) {
  const out = {};
  for (const [key, value] of form) {
    const match = key.match(/^(.*)\[([^\]]+)\]$/);
    if (match && match[1] === prefix) out[match[2]] = value;
  }
  return out;
}

const now = () => Math.floor(Date.now() / 1000);

/// Starts the fake on 127.0.0.1:`port`. `siteUrl` receives the webhooks, signed with
/// `webhookSecret`; API calls must carry `apiKey`. Resolves to { origin, requests, webhooks,
/// products, prices, coupons, subscriptions, close }; each request is
/// { path, authorization, contentType, idempotencyKey, form, status }.
export async function startFakeStripe({ port, siteUrl, apiKey, webhookSecret, log = () => {} }) {
  const origin = `http://127.0.0.1:${port}`;
  const checkoutSessions = new Map();
  const portalSessions = new Map();
  const customers = new Set();
  const products = new Map();
  const prices = new Map();
  const coupons = new Map();
  const subscriptions = new Map();
  const idempotent = new Map();
  const requests = [];
  const webhooks = [];

  async function deliver(type, object) {
    const event = {
      id: id('evt'), object: 'event', api_version: '2025-03-31.basil', type,
      created: now(), livemode: false, pending_webhooks: 1,
      data: { object },
    };
    const payload = JSON.stringify(event);
    const res = await fetch(`${siteUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(payload, webhookSecret), 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      body: payload,
    });
    const answer = await res.text();
    webhooks.push({ type, status: res.status, answer, object });
    log(`fake Stripe: ${type} → ${res.status} ${answer.slice(0, 80)}`);
    if (!res.ok) throw new Error(`the site refused the ${type} webhook: ${res.status} ${answer}`);
  }

  /// What a session sells: { name, amount, currency, interval, price } from its line item.
  function lineItem(form) {
    const priceId = form.get('line_items[0][price]');
    if (priceId) {
      const price = prices.get(priceId);
      return { name: products.get(price.product)?.name ?? price.product, amount: price.unit_amount, currency: price.currency, interval: price.recurring.interval, price };
    }
    const amount = Number(form.get('line_items[0][price_data][unit_amount]'));
    const currency = form.get('line_items[0][price_data][currency]');
    const interval = form.get('line_items[0][price_data][recurring][interval]');
    const price = { id: id('price'), object: 'price', active: true, unit_amount: amount, currency, recurring: { interval }, metadata: {} };
    return { name: form.get('line_items[0][price_data][product_data][name]'), amount, currency, interval, price };
  }

  /// The amount after a coupon, in the minor unit.
  function discounted(amount, coupon) {
    if (!coupon) return amount;
    if (coupon.percent_off != null) return Math.round(amount * (100 - coupon.percent_off) / 100);
    return Math.max(0, amount - coupon.amount_off);
  }

  /// What Stripe does once the customer pays: a customer and a subscription exist, and the
  /// site hears of both at about the same time (sent together, as Stripe does).
  async function pay(session) {
    const customer = session.form.get('customer') ?? id('cus');
    customers.add(customer);
    const subscription = id('sub');
    const periodEnd = now() + 30 * 86_400;
    const item = lineItem(session.form);
    const coupon = coupons.get(session.form.get('discounts[0][coupon]') ?? '');
    const completed = {
      id: session.id, object: 'checkout.session', mode: 'subscription', status: 'complete', payment_status: 'paid',
      customer, subscription, client_reference_id: session.form.get('client_reference_id'),
      customer_email: session.form.get('customer_email'), success_url: session.form.get('success_url'),
      amount_subtotal: item.amount, amount_total: discounted(item.amount, coupon), currency: item.currency,
      metadata: hash(session.form, 'metadata'),
    };
    const created = {
      id: subscription, object: 'subscription', customer, status: 'active', cancel_at_period_end: false,
      metadata: hash(session.form, 'subscription_data[metadata]'),
      discount: coupon ? { id: id('di'), object: 'discount', coupon, customer, subscription, start: now(), end: null } : null,
      discounts: [],
      items: { object: 'list', data: [{ id: id('si'), object: 'subscription_item', current_period_end: periodEnd, price: item.price }] },
    };
    subscriptions.set(subscription, created);
    await Promise.all([deliver('checkout.session.completed', completed), deliver('customer.subscription.created', created)]);
  }

  /// The API calls, once the key and body are checked: [status, body].
  function answer(path, form) {
    const missing = (...params) => params.find((param) => !form.get(param));
    const error = (status, message, param) => [status, { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } }];
    const noSuch = (kind, value, param) => [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${value}'`, param } }];
    let m;
    if (path === '/v1/products') {
      if (missing('name')) return error(400, 'Missing required param: name.', 'name');
      const product = { id: id('prod'), object: 'product', name: form.get('name'), description: form.get('description'), active: form.get('active') !== 'false', metadata: hash(form, 'metadata'), created: now() };
      products.set(product.id, product);
      return [200, product];
    }
    if ((m = path.match(/^\/v1\/products\/([A-Za-z0-9_]+)$/))) {
      const product = products.get(m[1]);
      if (!product) return noSuch('product', m[1], 'id');
      for (const key of ['name', 'description']) if (form.has(key)) product[key] = form.get(key);
      if (form.has('active')) product.active = form.get('active') !== 'false';
      Object.assign(product.metadata, hash(form, 'metadata'));
      return [200, product];
    }
    if (path === '/v1/prices') {
      const param = missing('product', 'unit_amount', 'currency', 'recurring[interval]');
      if (param) return error(400, `Missing required param: ${param}.`, param);
      if (!products.has(form.get('product'))) return noSuch('product', form.get('product'), 'product');
      if (!['day', 'week', 'month', 'year'].includes(form.get('recurring[interval]'))) return error(400, 'Invalid recurring[interval].', 'recurring[interval]');
      const price = {
        id: id('price'), object: 'price', active: true, product: form.get('product'), type: 'recurring',
        unit_amount: Number(form.get('unit_amount')), currency: form.get('currency'),
        recurring: { interval: form.get('recurring[interval]'), interval_count: 1 }, metadata: hash(form, 'metadata'), created: now(),
      };
      prices.set(price.id, price);
      return [200, price];
    }
    if ((m = path.match(/^\/v1\/prices\/([A-Za-z0-9_]+)$/))) {
      const price = prices.get(m[1]);
      if (!price) return noSuch('price', m[1], 'id');
      if (form.has('active')) price.active = form.get('active') !== 'false';
      Object.assign(price.metadata, hash(form, 'metadata'));
      return [200, price];
    }
    if (path === '/v1/coupons') {
      const duration = form.get('duration') ?? 'once';
      if (!['once', 'repeating', 'forever'].includes(duration)) return error(400, 'Invalid duration.', 'duration');
      if (duration === 'repeating' && missing('duration_in_months')) return error(400, 'duration_in_months is required when duration is repeating.', 'duration_in_months');
      const percent = form.get('percent_off');
      const amountOff = form.get('amount_off');
      if (!percent === !amountOff) return error(400, 'Exactly one of percent_off and amount_off is required.', 'percent_off');
      if (amountOff && missing('currency')) return error(400, 'currency is required with amount_off.', 'currency');
      if (percent && !(Number(percent) > 0 && Number(percent) <= 100)) return error(400, 'percent_off must be between 0 and 100.', 'percent_off');
      const coupon = {
        id: form.get('id') || randomBytes(4).toString('hex'), object: 'coupon', name: form.get('name'), valid: true,
        percent_off: percent ? Number(percent) : null, amount_off: amountOff ? Number(amountOff) : null, currency: form.get('currency'),
        duration, duration_in_months: duration === 'repeating' ? Number(form.get('duration_in_months')) : null,
        metadata: hash(form, 'metadata'), times_redeemed: 0, created: now(),
      };
      coupons.set(coupon.id, coupon);
      return [200, coupon];
    }
    if ((m = path.match(/^\/v1\/subscriptions\/([A-Za-z0-9_]+)$/))) {
      const sub = subscriptions.get(m[1]);
      if (!sub) return noSuch('subscription', m[1], 'id');
      const couponId = form.get('discounts[0][coupon]');
      if (couponId) {
        if (!coupons.has(couponId)) return noSuch('coupon', couponId, 'discounts[0][coupon]');
        sub.discount = { id: id('di'), object: 'discount', coupon: coupons.get(couponId), customer: sub.customer, subscription: sub.id, start: now(), end: null };
      }
      return [200, sub];
    }
    if (path === '/v1/checkout/sessions') {
      for (const param of ['mode', 'success_url']) {
        if (!form.get(param)) return error(400, `Missing required param: ${param}.`, param);
      }
      if (form.get('mode') !== 'subscription') return error(400, 'Only subscription mode is faked.', 'mode');
      const priceId = form.get('line_items[0][price]');
      if (priceId) {
        if (!prices.has(priceId)) return noSuch('price', priceId, 'line_items[0][price]');
        if (!prices.get(priceId).active) return error(400, `The price ${priceId} is not active.`, 'line_items[0][price]');
      } else {
        const param = missing('line_items[0][price_data][unit_amount]', 'line_items[0][price_data][currency]');
        if (param) return error(400, `Missing required param: ${param}.`, param);
      }
      const couponId = form.get('discounts[0][coupon]');
      if (couponId && !coupons.has(couponId)) return noSuch('coupon', couponId, 'discounts[0][coupon]');
      const session = { id: id('cs'), form };
      checkoutSessions.set(session.id, session);
      return [200, { id: session.id, object: 'checkout.session', mode: 'subscription', status: 'open', url: `${origin}/c/pay/${session.id}` }];
    }
    if (path === '/v1/billing_portal/sessions') {
      const customer = form.get('customer');
      if (!customers.has(customer)) return error(400, `No such customer: '${customer}'`, 'customer');
      const session = { id: id('bps'), customer, returnUrl: form.get('return_url') };
      portalSessions.set(session.id, session);
      return [200, { id: session.id, object: 'billing_portal.session', customer, return_url: session.returnUrl, url: `${origin}/p/session/${session.id}` }];
    }
    return error(404, `Unrecognized request URL (POST: ${path}).`);
  }

  async function api(req, res, path) {
    const body = await readBody(req);
    const form = new URLSearchParams(body);
    const idempotencyKey = req.headers['idempotency-key'] ?? '';
    const request = { path, authorization: req.headers.authorization ?? '', contentType: req.headers['content-type'] ?? '', idempotencyKey, form, status: 0 };
    requests.push(request);
    const reply = (status, value) => {
      request.status = status;
      json(res, status, value);
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return reply(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return reply(400, { error: { type: 'invalid_request_error', message: 'Stripe takes form-encoded request bodies.' } });
    }
    if (idempotencyKey) {
      const earlier = idempotent.get(idempotencyKey);
      if (earlier && (earlier.path !== path || earlier.body !== body)) {
        return reply(400, { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` } });
      }
      if (earlier) {
        res.setHeader('idempotent-replayed', 'true');
        return reply(earlier.status, earlier.value);
      }
    }
    const [status, value] = answer(path, form);
    if (idempotencyKey) idempotent.set(idempotencyKey, { path, body, status, value: JSON.parse(JSON.stringify(value)) });
    return reply(status, value);
  }

  async function hosted(req, res, path) {
    const checkout = path.match(/^\/c\/pay\/([A-Za-z0-9_]+)$/);
    if (checkout && checkoutSessions.has(checkout[1])) {
      const session = checkoutSessions.get(checkout[1]);
      if (req.method === 'GET') {
        const item = lineItem(session.form);
        const coupon = coupons.get(session.form.get('discounts[0][coupon]') ?? '');
        const money = (minor) => `${(minor / 100).toFixed(2)} ${escapeHtml(item.currency)}`;
        let discount = '';
        if (coupon) {
          const off = coupon.percent_off != null ? `${coupon.percent_off}% off` : `${money(coupon.amount_off)} off`;
          const how = coupon.duration === 'repeating' ? `for ${coupon.duration_in_months} months` : coupon.duration;
          discount = `<p class="discount">${escapeHtml(coupon.name ?? coupon.id)}: ${off} ${escapeHtml(how)}</p>`;
        }
        return send(res, 200, 'text/html; charset=utf-8', page('Fake Stripe Checkout', `<p class="product">${escapeHtml(item.name)}</p>` +
          `<p class="amount">${money(item.amount)} per ${escapeHtml(item.interval)}</p>${discount}` +
          `<p class="total">Due today: ${money(discounted(item.amount, coupon))}</p>` +
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
  return { origin, requests, webhooks, products, prices, coupons, subscriptions, close: () => new Promise((resolve) => server.close(resolve)) };
}
