// The billing page. Talks only to this server's own API (same origin), authenticated by the HttpOnly session cookie;
// writes carry the session's CSRF token. Money is formatted from the integer cents the API returns with string and
// integer operations only: no floating point touches an amount. Everything shown is set as text, never as HTML.
'use strict';
(function () {
  const PAGE_SIZE = 10;
  const MIN_TOPUP_CENTS = 500;
  const MAX_CHART_DAYS = 366;
  const TYPE_NAMES = {
    grant: 'Grant', signup_grant: 'Sign-up credit', topup: 'Top-up', auto_topup: 'Auto top-up', usage: 'Usage',
    refund: 'Refund', adjustment: 'Adjustment', expiry: 'Expiry', reversal: 'Reversal'
  };
  const FIELD_NAMES = {
    amountCents: 'The amount', thresholdCents: 'The threshold', topupAmountCents: 'The top-up amount',
    apiKey: 'The API key', enabled: 'Enabled'
  };
  const $ = (id) => document.getElementById(id);

  let session = null;
  let period = 'current';
  let cursors = [null];
  let pageIndex = 0;

  class ApiError extends Error {
    constructor(status, error) {
      super(error && error.message ? error.message : 'The server answered ' + status + '.');
      this.status = status;
      this.code = error ? error.code : null;
      this.details = error && error.details ? error.details : [];
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (method !== 'GET' && session) {
      headers['X-CSRF-Token'] = session.csrfToken;
    }
    let response;
    try {
      response = await fetch(path, {
        method, headers, credentials: 'same-origin', cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, { message: 'The server cannot be reached. Check your connection and try again.' });
    }
    let json = null;
    if (response.status !== 204) {
      try {
        json = await response.json();
      } catch (e) {
        json = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, json && json.error);
    }
    return json;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Money and time, as text

  /** "$1,234.56" from integer cents (a JSON integer or its digits); "-$0.01" below zero. */
  function formatCents(value) {
    let digits = String(value);
    const negative = digits.startsWith('-');
    if (negative) {
      digits = digits.slice(1);
    }
    if (!/^\d+$/.test(digits)) {
      return '–';
    }
    digits = digits.replace(/^0+(?=\d{3})/, '').padStart(3, '0');
    const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (negative ? '-$' : '$') + whole + '.' + digits.slice(-2);
  }

  /** "+$25.00" for credits, "-$0.03" for debits. */
  function signedCents(value) {
    const text = formatCents(value);
    return text.startsWith('-') || text === '–' ? text : '+' + text;
  }

  /** "25.00" for an input field. */
  function centsForInput(value) {
    return formatCents(value).replace('$', '').replace(/,/g, '');
  }

  /** Integer cents from "25", "25.5", "$1,025.50"; null when it is not an amount of dollars and cents. */
  function parseDollars(text) {
    const match = /^\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
    if (!match) {
      return null;
    }
    return Number(match[1].replace(/,/g, '')) * 100 + Number((match[2] || '').padEnd(2, '0'));
  }

  /** "2026-11-27 10:31" from an RFC 3339 UTC timestamp, without date arithmetic. */
  function formatTime(text) {
    return String(text).replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '');
  }

  function formatCount(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  /** The error in words: the API's message, with each field named as a person would and cents shown as dollars. */
  function words(error) {
    if (error.code === 'payment_method_required') {
      return 'Auto top-up needs a saved card, and there is none yet. Buy credits once by card: the card you pay '
        + 'with is saved for auto top-up.';
    }
    if (error.code === 'forbidden') {
      return 'Only an admin of the organization can do this.';
    }
    if (error.details && error.details.length > 0) {
      return error.details.map((d) => {
        const name = FIELD_NAMES[d.field] || d.field;
        const issue = /Cents$/.test(d.field) ? d.issue.replace(/-?\d+/g, (n) => formatCents(n)) : d.issue;
        return name + ' ' + issue + '.';
      }).join(' ');
    }
    return error.message;
  }

  function show(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  function notice(text, bad) {
    const element = $('notice');
    element.classList.toggle('bad', Boolean(bad));
    show(element, text);
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function clear(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Signing in and out

  function signedOut(message) {
    session = null;
    $('app').hidden = true;
    $('who').hidden = true;
    $('sign-in-section').hidden = false;
    show($('sign-in-error'), message || '');
    clear($('history-rows'));
    $('balance').textContent = '';
    $('api-key').focus();
  }

  async function signedIn() {
    const admin = session.role === 'admin';
    $('sign-in-section').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('who-text').textContent = (admin ? 'Admin' : 'Member') + ' · org ' + session.orgId.slice(0, 8);
    document.querySelectorAll('.admin-only').forEach((element) => { element.hidden = !admin; });
    cursors = [null];
    pageIndex = 0;
    await Promise.all([loadOverview(), loadUsage(), loadHistory()]);
  }

  async function guarded(work, errorElement) {
    try {
      if (errorElement) {
        show(errorElement, '');
      }
      await work();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && session) {
        signedOut('Your session has ended. Sign in again.');
      } else if (errorElement) {
        show(errorElement, e instanceof ApiError ? words(e) : 'Something went wrong: ' + e.message);
      } else {
        notice(e instanceof ApiError ? words(e) : 'Something went wrong: ' + e.message, true);
      }
    }
  }

  $('sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('api-key');
    const key = input.value.trim();
    input.value = ''; // the key is not kept anywhere on the page
    show($('sign-in-error'), '');
    if (!key) {
      show($('sign-in-error'), 'Enter an API key.');
      return;
    }
    try {
      session = (await api('POST', '/v1/billing/session', { apiKey: key })).data;
    } catch (e) {
      show($('sign-in-error'), e.status === 401 ? 'That API key is unknown, revoked or expired.' : words(e));
      return;
    }
    notice('');
    await guarded(signedIn);
  });

  $('sign-out').addEventListener('click', async () => {
    try {
      await api('DELETE', '/v1/billing/session');
    } catch (e) {
      // the session is over either way
    }
    notice('You are signed out.');
    signedOut('');
  });

  // ----------------------------------------------------------------------------------------------------------------
  // Overview and auto top-up

  async function loadOverview() {
    const [plan, auto] = await Promise.all([api('GET', '/v1/billing/plan'), api('GET', '/v1/billing/auto-topup')]);
    const p = plan.data;
    const a = auto.data;
    $('plan').textContent = p.planName + ' (' + p.plan + ')';
    const balance = $('balance');
    balance.textContent = formatCents(p.balanceCents);
    balance.classList.toggle('negative', p.balanceCents < 0);
    const state = a.enabled
      ? 'On: adds ' + formatCents(a.topupAmountCents) + ' when the balance falls below ' + formatCents(a.thresholdCents)
      : 'Off';
    $('auto-topup-state').textContent = state;
    let summary = state + '. ' + (a.hasSavedPaymentMethod ? 'A card is saved.' : 'No card is saved yet.');
    if (a.disabledReason) {
      summary += ' It turned itself off: ' + a.disabledReason + '.';
    } else if (a.lastFailureReason) {
      summary += ' The last charge failed: ' + a.lastFailureReason + '.';
    }
    $('auto-summary').textContent = summary;
    $('auto-enabled').checked = a.enabled;
    $('auto-threshold').value = centsForInput(a.thresholdCents);
    $('auto-amount').value = centsForInput(a.topupAmountCents);
    let low = '';
    if (p.balanceCents <= 0) {
      low = 'Your balance is used up. Usage is still recorded and takes the balance below zero.';
    } else if (p.balanceCents < a.thresholdCents) {
      low = 'Your balance is low: below ' + formatCents(a.thresholdCents) + '.';
    }
    if (low) {
      low += a.enabled ? ' Auto top-up will add ' + formatCents(a.topupAmountCents) + '.'
        : session.role === 'admin' ? ' Buy credits or turn on auto top-up.' : ' Ask an admin to add credit.';
    }
    show($('low-balance'), low);
  }

  $('topup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const cents = parseDollars($('topup-amount').value);
      if (cents === null || cents < MIN_TOPUP_CENTS) {
        throw new ApiError(400, { message: 'Enter an amount of at least ' + formatCents(MIN_TOPUP_CENTS)
            + ' in dollars and cents, like 25 or 25.50.' });
      }
      const back = location.origin + location.pathname;
      const started = await api('POST', '/v1/billing/topup', {
        amountCents: cents, successUrl: back + '?checkout=success', cancelUrl: back + '?checkout=cancelled'
      });
      location.assign(started.data.checkoutUrl);
    }, $('topup-error'));
  });

  $('auto-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const threshold = parseDollars($('auto-threshold').value);
      const amount = parseDollars($('auto-amount').value);
      if (threshold === null || amount === null) {
        throw new ApiError(400, { message: 'Enter both amounts in dollars and cents, like 10 or 25.50.' });
      }
      await api('PUT', '/v1/billing/auto-topup', {
        enabled: $('auto-enabled').checked, thresholdCents: threshold, topupAmountCents: amount
      });
      notice('Auto top-up saved.');
      await loadOverview();
    }, $('auto-error'));
  });

  /** Back from the checkout: confirm the payment (crediting it once if the provider's event has not yet) and say so. */
  async function checkoutReturn() {
    const params = new URLSearchParams(location.search);
    const outcome = params.get('checkout');
    const sessionId = params.get('session_id');
    if (!outcome) {
      return;
    }
    history.replaceState(null, '', location.pathname);
    if (outcome === 'cancelled') {
      notice('The top-up was cancelled; nothing was charged.');
      return;
    }
    if (outcome === 'success' && sessionId) {
      const verified = (await api('GET', '/v1/billing/success?session_id=' + encodeURIComponent(sessionId))).data;
      if (verified.credited) {
        notice('Payment received: ' + formatCents(verified.amountCents) + ' added. Your balance is '
          + formatCents(verified.balanceCents) + '.');
      } else {
        notice('The checkout is ' + verified.status + '; nothing was added yet.', true);
      }
      await Promise.all([loadOverview(), loadHistory()]);
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Usage

  document.querySelectorAll('#periods button').forEach((button) => {
    button.addEventListener('click', () => {
      period = button.dataset.period;
      document.querySelectorAll('#periods button').forEach((b) => {
        b.setAttribute('aria-pressed', String(b === button));
      });
      guarded(loadUsage);
    });
  });

  // Each load of the usage section gets a number; an answer that arrives after a later load started (the first
  // period's report coming back after the user picked another) is dropped instead of drawing the wrong period.
  let usageLoads = 0;

  async function loadUsage() {
    const admin = session.role === 'admin';
    const load = ++usageLoads;
    const report = (await api('GET', '/v1/billing/my-usage?period=' + period + (admin ? '&all=true' : ''))).data;
    if (load !== usageLoads) {
      return;
    }
    const row = admin ? report.totals : report.usage;
    $('usage-range').textContent = (admin ? 'The organization' : 'Your usage') + ', ' + report.from.slice(0, 10)
      + ' to ' + report.to.slice(0, 10) + ' (UTC, end exclusive).';
    $('usage-total').textContent = formatCents(row.totalCostCents);
    drawChart(report);
    renderModels(row);
    renderResources(row);
    if (admin) {
      renderMembers(report.members || []);
    }
  }

  /** The days of the report as "YYYY-MM-DD" strings, oldest first, up to today (UTC) and at most a year of them. */
  function days(report) {
    const list = [];
    const today = new Date().toISOString().slice(0, 10);
    const day = new Date(report.from);
    const end = report.to.slice(0, 10);
    while (list.length < 100000) {
      const text = day.toISOString().slice(0, 10);
      if (text >= end || text > today) {
        break;
      }
      list.push(text);
      day.setUTCDate(day.getUTCDate() + 1);
    }
    return list.slice(-MAX_CHART_DAYS);
  }

  function svg(name, attributes) {
    const element = document.createElementNS('http://www.w3.org/2000/svg', name);
    Object.keys(attributes).forEach((key) => element.setAttribute(key, String(attributes[key])));
    return element;
  }

  function drawChart(report) {
    const chart = $('usage-chart');
    clear(chart);
    const costs = new Map(report.daily.map((d) => [d.day, d.costCents]));
    const list = days(report);
    const highest = Math.max(0, ...list.map((d) => costs.get(d) || 0));
    const max = Math.max(1, highest);
    const width = Math.max(list.length, 1) * 10;
    const picture = svg('svg', { viewBox: '0 0 ' + width + ' 100', preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    picture.appendChild(svg('line', { x1: 0, y1: 99.5, x2: width, y2: 99.5, class: 'axis' }));
    list.forEach((day, i) => {
      const cents = costs.get(day) || 0;
      // Only the bar's height is scaled; the amount itself stays the API's integer.
      const height = cents === 0 ? 1 : Math.max(2, Math.round((cents / max) * 95));
      const bar = svg('rect', {
        x: i * 10 + 1, y: 100 - height, width: 8, height, class: cents === 0 ? 'bar zero' : 'bar',
        'data-day': day, 'data-cents': cents
      });
      const title = svg('title', {});
      title.textContent = day + ': ' + formatCents(cents);
      bar.appendChild(title);
      picture.appendChild(bar);
    });
    chart.appendChild(picture);
    const caption = document.createElement('p');
    caption.className = 'hint';
    caption.textContent = list.length === 0 ? 'No days in this period yet.'
      : list[0] + ' to ' + list[list.length - 1] + '; highest day ' + formatCents(highest)
        + '. ' + report.daily.length + ' day(s) with usage.';
    chart.appendChild(caption);
    const summary = report.daily.map((d) => d.day + ' ' + formatCents(d.costCents)).join(', ');
    chart.setAttribute('aria-label', 'Cost per day' + (summary ? ': ' + summary : ': none'));
  }

  function renderModels(row) {
    const body = $('model-rows');
    clear(body);
    if (row.modelUsage.length === 0) {
      cell(body.insertRow(), 'No model usage in this period.').colSpan = 5;
      return;
    }
    row.modelUsage.forEach((m) => {
      const tr = body.insertRow();
      tr.setAttribute('data-testid', 'model-row');
      cell(tr, m.model + (m.byok ? ' (your own key)' : ''));
      cell(tr, formatCount(m.requests), 'num');
      cell(tr, formatCount(m.inputTokens), 'num');
      cell(tr, formatCount(m.outputTokens), 'num');
      cell(tr, formatCents(m.costCents), 'num money');
    });
  }

  function renderResources(row) {
    const body = $('resource-rows');
    clear(body);
    const s = row.sandboxRuntime;
    const add = (what, amount, cost) => {
      const tr = body.insertRow();
      tr.setAttribute('data-testid', 'resource-row');
      cell(tr, what);
      cell(tr, amount, 'num');
      cell(tr, cost, 'num money');
    };
    add('Sandbox runtime, settled', formatCount(s.settledSeconds) + ' s', formatCents(s.settledCents));
    add('Sandbox runtime, pending (estimate)', formatCount(s.pendingSeconds) + ' s', formatCents(s.pendingCents));
    add('Sandbox runtime, active (estimate)', formatCount(s.activeSeconds) + ' s', formatCents(s.activeEstimateCents));
    add('Sandbox runtime, forgiven', formatCount(s.forgivenSeconds) + ' s', formatCents(0));
    add('Storage', String(row.storageUsage.gibHours) + ' GiB-hours', formatCents(row.storageUsage.costCents));
    add('Tool executions', formatCount(row.toolExecutions), 'in the total');
    row.resourceCharges.forEach((r) => add(r.resource, formatCount(r.quantity) + ' ' + r.unit, formatCents(r.costCents)));
  }

  function renderMembers(members) {
    const body = $('member-rows');
    clear(body);
    $('members').hidden = false;
    if (members.length === 0) {
      cell(body.insertRow(), 'No member used anything in this period.').colSpan = 4;
      return;
    }
    members.forEach((m) => {
      const tr = body.insertRow();
      tr.setAttribute('data-testid', 'member-row');
      cell(tr, m.memberId === session.memberId ? 'You' : m.memberId.slice(0, 8));
      cell(tr, formatCount(m.tokens.total), 'num');
      cell(tr, formatCount(m.toolExecutions), 'num');
      cell(tr, formatCents(m.totalCostCents), 'num money');
    });
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Credit history, a page at a time

  async function loadHistory() {
    const cursor = cursors[pageIndex];
    const page = await api('GET', '/v1/billing/credits/history?limit=' + PAGE_SIZE
      + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    const body = $('history-rows');
    clear(body);
    page.data.forEach((entry) => {
      const tr = body.insertRow();
      tr.setAttribute('data-testid', 'history-row');
      cell(tr, formatTime(entry.createdAt));
      cell(tr, TYPE_NAMES[entry.type] || entry.type);
      cell(tr, signedCents(entry.amountCents), 'num money' + (entry.amountCents < 0 ? ' negative' : ''));
      cell(tr, formatCents(entry.balanceAfterCents), 'num money');
      cell(tr, entry.description);
    });
    if (page.data.length === 0) {
      cell(body.insertRow(), 'No entries yet.').colSpan = 5;
    }
    cursors.length = pageIndex + 1;
    if (page.meta.hasMore) {
      cursors.push(page.meta.nextCursor);
    }
    $('history-older').disabled = !page.meta.hasMore;
    $('history-newer').disabled = pageIndex === 0;
    $('history-page').textContent = 'Page ' + (pageIndex + 1);
  }

  $('history-older').addEventListener('click', () => {
    if (pageIndex + 1 < cursors.length) {
      pageIndex += 1;
      guarded(loadHistory);
    }
  });

  $('history-newer').addEventListener('click', () => {
    if (pageIndex > 0) {
      pageIndex -= 1;
      guarded(loadHistory);
    }
  });

  // ----------------------------------------------------------------------------------------------------------------
  // Start

  async function start() {
    try {
      session = (await api('GET', '/v1/billing/session')).data;
    } catch (e) {
      signedOut(e instanceof ApiError && e.status !== 401 ? words(e) : '');
      document.body.setAttribute('data-ready', 'true');
      return;
    }
    await guarded(async () => {
      await signedIn();
      await checkoutReturn();
    });
    document.body.setAttribute('data-ready', 'true');
  }

  start();
}());
