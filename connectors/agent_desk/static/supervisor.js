/*
 * Supervisor view (issue 14): "are we OK right now?" from GET /agent/api/metrics
 * and the oldest waiting tickets from GET /agent/api/queue?sort=waiting.
 *
 * Plain ES2020, no build step, CSP-compatible (no inline script or style).
 * Server data reaches the page only through text nodes (el()/svg(), common.js),
 * never innerHTML. Shares the desk's session (sessionStorage) and language
 * (localStorage) keys, so a supervisor coming from the desk is signed in.
 */
(() => {
  'use strict';

  const API = '/agent/api';
  const POLL_MS = 10000;
  const OLDEST = 10;
  const STORAGE = { token: 'agentDesk.token', agent: 'agentDesk.agent', lang: 'agentDesk.lang' };

  const STRINGS = {
    en: {
      'skip': 'Skip to content',
      'app.title': 'Supervisor view',
      'link.desk': 'Back to the agent desk',
      'lang.other': '中文',
      'login.title': 'Sign in as a supervisor',
      'login.username': 'User name',
      'login.password': 'Password',
      'login.submit': 'Log in',
      'login.wrong': 'Wrong user name or password',
      'login.missing': 'Enter your user name and password.',
      'login.throttled': 'Too many failed logins. Try again in {s} s.',
      'login.failed': 'Login failed: {msg}',
      'login.expired': 'Your session has ended. Please log in again.',
      'error.network': 'Cannot reach the server.',
      'refused.title': 'For supervisors only',
      'refused.text': 'Your account does not have the supervisor role. Ask a supervisor if you need these figures.',
      'now.title': 'Right now',
      'now.waiting': 'Waiting now',
      'now.longest': 'Longest current wait',
      'now.overSla': 'Waiting past SLA',
      'now.overSlaOf': '{n} of {total}',
      'now.withAgent': 'With an agent',
      'now.online': 'Agents online',
      'period.label': 'Period',
      'period.1h': 'Last hour',
      'period.today': 'Today',
      'period.24h': 'Last 24 hours',
      'period.7d': 'Last 7 days',
      'period.30d': 'Last 30 days',
      'period.custom': 'Since…',
      'period.sinceLabel': 'Since (date and time)',
      'period.apply': 'Show',
      'period.badSince': 'Choose a date and time in the past.',
      'periodFigures.title': 'In the period',
      'period.range': '{from} – {to}',
      'period.escalations': 'Handed to people',
      'period.breachRate': 'SLA breach rate',
      'period.breachesOf': '({n} of {total})',
      'period.abandoned': 'Abandoned',
      'period.ofTotal': '({rate})',
      'period.avgWait': 'Average wait until answered',
      'period.containment': 'Solved by the bot',
      'period.csat': 'CSAT',
      'period.csatCount': '({n} ratings)',
      'histogram.title': 'People waiting now, by how long they have waited',
      'histogram.desc': 'People waiting now by wait: {items}',
      'histogram.axis': 'people',
      'reasons.title': 'Why customers were handed to people',
      'reasons.desc': 'Handed to people by reason: {items}',
      'agents.title': 'Agents in the period',
      'agents.agent': 'Agent',
      'agents.online': 'Online',
      'agents.handled': 'Handled',
      'agents.handle': 'Average handle time',
      'agents.csat': 'CSAT',
      'agents.csatCell': '{avg} ({n})',
      'agents.yes': 'online',
      'agents.no': 'offline',
      'agents.empty': 'No ticket was closed in this period.',
      'oldest.title': 'Waiting longest',
      'oldest.waited': 'Waited',
      'oldest.priority': 'Priority',
      'oldest.state': 'Status',
      'oldest.reason': 'Reason',
      'oldest.channel': 'Channel',
      'oldest.summary': 'Summary',
      'oldest.empty': 'Nobody is waiting.',
      'priority': 'P{n}',
      'state.queued': 'Queued',
      'state.callback': 'Call-back',
      'state.with_agent': 'With agent',
      'sla.breached': 'past SLA',
      'channel.web': 'Web chat',
      'channel.wechat': 'WeChat',
      'channel.ivr': 'Phone',
      'channel.rest': 'API',
      'noData': 'No data yet',
      'updated': 'Updated {time}',
      'failed': 'Could not load the figures: {msg}',
      'dur.s': '{s} s',
      'dur.m': '{m} min',
      'dur.h': '{h} h {m} min',
      'bucket.lt': '< {to}',
      'bucket.ge': '≥ {from}',
      'unit.m': '{n} min',
      'unit.h': '{n} h',
    },
    zh: {
      'skip': '跳到内容',
      'app.title': '主管看板',
      'link.desk': '返回坐席工作台',
      'lang.other': 'English',
      'login.title': '以主管身份登录',
      'login.username': '用户名',
      'login.password': '密码',
      'login.submit': '登录',
      'login.wrong': '用户名或密码错误',
      'login.missing': '请输入用户名和密码。',
      'login.throttled': '登录失败次数过多，请 {s} 秒后再试。',
      'login.failed': '登录失败：{msg}',
      'login.expired': '会话已结束，请重新登录。',
      'error.network': '无法连接服务器。',
      'refused.title': '仅限主管',
      'refused.text': '你的账号没有主管权限。如需这些数据，请联系主管。',
      'now.title': '当前状况',
      'now.waiting': '当前等待',
      'now.longest': '当前最长等待',
      'now.overSla': '等待已超响应时限',
      'now.overSlaOf': '{total} 人中 {n} 人',
      'now.withAgent': '人工服务中',
      'now.online': '在线坐席',
      'period.label': '时间段',
      'period.1h': '最近 1 小时',
      'period.today': '今天',
      'period.24h': '最近 24 小时',
      'period.7d': '最近 7 天',
      'period.30d': '最近 30 天',
      'period.custom': '自定义起点…',
      'period.sinceLabel': '起始日期和时间',
      'period.apply': '查看',
      'period.badSince': '请选择一个过去的日期和时间。',
      'periodFigures.title': '本时间段',
      'period.range': '{from} – {to}',
      'period.escalations': '转人工',
      'period.breachRate': '响应时限超时率',
      'period.breachesOf': '（{total} 个中 {n} 个）',
      'period.abandoned': '放弃等待',
      'period.ofTotal': '（{rate}）',
      'period.avgWait': '平均等待接入时长',
      'period.containment': '机器人解决率',
      'period.csat': '满意度',
      'period.csatCount': '（{n} 个评分）',
      'histogram.title': '当前等待的客户，按已等待时长',
      'histogram.desc': '当前等待人数（按等待时长）：{items}',
      'histogram.axis': '人',
      'reasons.title': '转人工原因',
      'reasons.desc': '按原因统计的转人工：{items}',
      'agents.title': '本时间段的坐席',
      'agents.agent': '坐席',
      'agents.online': '在线',
      'agents.handled': '处理工单',
      'agents.handle': '平均处理时长',
      'agents.csat': '满意度',
      'agents.csatCell': '{avg}（{n}）',
      'agents.yes': '在线',
      'agents.no': '离线',
      'agents.empty': '本时间段没有关闭的工单。',
      'oldest.title': '等待最久',
      'oldest.waited': '已等待',
      'oldest.priority': '优先级',
      'oldest.state': '状态',
      'oldest.reason': '原因',
      'oldest.channel': '渠道',
      'oldest.summary': '摘要',
      'oldest.empty': '目前没有人在等待。',
      'priority': '{n} 级',
      'state.queued': '排队中',
      'state.callback': '待回电',
      'state.with_agent': '人工服务中',
      'sla.breached': '已超响应时限',
      'channel.web': '网页聊天',
      'channel.wechat': '微信',
      'channel.ivr': '电话',
      'channel.rest': '接口',
      'noData': '暂无数据',
      'updated': '更新于 {time}',
      'failed': '无法加载数据：{msg}',
      'dur.s': '{s} 秒',
      'dur.m': '{m} 分钟',
      'dur.h': '{h} 小时 {m} 分钟',
      'bucket.lt': '< {to}',
      'bucket.ge': '≥ {from}',
      'unit.m': '{n} 分钟',
      'unit.h': '{n} 小时',
    },
  };

  const state = { lang: 'en', token: null, agent: null, metrics: null, oldest: [], timer: null, busy: false, again: false };
  const $ = (id) => document.getElementById(id);

  /* ---------------------------------------------------------------- helpers */

  // Shared with the desk (common.js): DOM building, translation, the API client.
  const { el, svg, translator, apiClient, mountLogin } = window.DeskCommon;
  const t = translator(STRINGS, () => state.lang);

  function has(key) {
    return key in (STRINGS[state.lang] || STRINGS.en) || key in STRINGS.en;
  }

  const blank = (v) => v === null || v === undefined || v === '' || !Number.isFinite(Number(v));
  const locale = () => (state.lang === 'zh' ? 'zh-CN' : 'en-GB');

  /** A duration for people: "45 s", "42 min", "8 h 30 min" (long waits in hours). */
  function duration(seconds) {
    if (blank(seconds)) return '—';
    const s = Math.max(0, Math.floor(Number(seconds)));
    if (s < 60) return t('dur.s', { s });
    if (s < 3600) return t('dur.m', { m: Math.floor(s / 60) });
    return t('dur.h', { h: Math.floor(s / 3600), m: String(Math.floor((s % 3600) / 60)).padStart(2, '0') });
  }

  function count(value) {
    return blank(value) ? '—' : Number(value).toLocaleString(locale());
  }

  function percent(rate) {
    return blank(rate) ? '—' : `${(Number(rate) * 100).toFixed(Number(rate) * 100 % 1 ? 1 : 0)}%`;
  }

  function dateTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '—';
    return date.toLocaleString(locale(), { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  }

  /** A bucket bound in seconds as "5 min" / "4 h". */
  function bound(seconds) {
    return seconds >= 3600 ? t('unit.h', { n: seconds / 3600 }) : t('unit.m', { n: seconds / 60 });
  }

  /** "< 1 min", "5–15 min", "30–60 min", "1–4 h", "≥ 4 h". */
  function bucketLabel(bucket) {
    if (!bucket.from_s) return t('bucket.lt', { to: bound(bucket.to_s) });
    if (bucket.to_s === null || bucket.to_s === undefined) return t('bucket.ge', { from: bound(bucket.from_s) });
    const unit = bucket.to_s <= 3600 ? 60 : 3600;
    return t(unit === 60 ? 'unit.m' : 'unit.h', { n: `${bucket.from_s / unit}–${bucket.to_s / unit}` });
  }

  function reasonLabel(code) {
    const labels = state.metrics && state.metrics.reason_labels && state.metrics.reason_labels[code];
    return (labels && (labels[state.lang] || labels.en)) || String(code);
  }

  function channelLabel(channel) {
    return has(`channel.${channel}`) ? t(`channel.${channel}`) : String(channel ?? '—');
  }

  /* -------------------------------------------------------------------- API */

  /** Call the agent API; a 401 outside login ends the session (as on the desk). */
  const api = apiClient({ getToken: () => state.token, onSessionEnded: (message) => endSession(message), t,
    getLanguage: () => state.lang });

  /* ---------------------------------------------------------------- session */

  function show(view) {
    $('login-view').hidden = view !== 'login';
    $('refused-view').hidden = view !== 'refused';
    $('dashboard').hidden = view !== 'dashboard';
    const agent = state.agent || {};
    $('agent-name').textContent = agent.display_name || agent.username || '';
    $('agent-badge').hidden = !state.token;
    if (view === 'login') $('username').focus();
  }

  function endSession(message) {
    stopPolling();
    sessionStorage.removeItem(STORAGE.token);
    sessionStorage.removeItem(STORAGE.agent);
    state.token = null;
    state.agent = null;
    $('login-error').textContent = message || '';
    show('login');
  }

  function refuse() {
    stopPolling();
    show('refused');
  }

  /** Signed in on this page (DeskCommon.mountLogin): keep the session in this tab and start. */
  function loggedIn(token, agent, username) {
    state.token = token;
    state.agent = agent || { username, role: 'agent' };
    sessionStorage.setItem(STORAGE.token, state.token);
    sessionStorage.setItem(STORAGE.agent, JSON.stringify(state.agent));
    $('login-error').textContent = '';
    start();
  }

  /* ----------------------------------------------------------------- period */

  /** The ISO-8601 ``since`` of the chosen period, or null for a custom one not yet valid. */
  function since() {
    const choice = $('period').value;
    const now = Date.now();
    const hours = { '1h': 1, '24h': 24, '7d': 24 * 7, '30d': 24 * 30 }[choice];
    if (hours) return new Date(now - hours * 3600 * 1000).toISOString();
    if (choice === 'today') {
      const midnight = new Date();
      midnight.setHours(0, 0, 0, 0);
      return midnight.toISOString();
    }
    const picked = new Date($('period-since').value);  // datetime-local: the browser's time zone
    return Number.isNaN(picked.getTime()) || picked.getTime() > now ? null : picked.toISOString();
  }

  /* ------------------------------------------------------------------ load */

  async function refresh() {
    if (!state.token) return;
    if (state.busy) {  // asked again meanwhile (another period): load once more when this answer is in
      state.again = true;
      return;
    }
    const from = since();
    if (from === null) {
      $('load-error').textContent = t('period.badSince');
      return;
    }
    state.busy = true;
    try {
      const [metrics, oldest] = await Promise.all([
        api(`/metrics?since=${encodeURIComponent(from)}`),
        api(`/queue?sort=waiting&limit=${OLDEST}`),
      ]);
      state.metrics = metrics;
      state.oldest = Array.isArray(oldest) ? oldest : [];
      $('load-error').textContent = '';
      state.updatedAt = new Date();
      show('dashboard');
      render();
    } catch (err) {
      if (err.sessionEnded) return;  // api() showed the login again
      else if (err.status === 403) refuse();
      else $('load-error').textContent = t('failed', { msg: err.message });
    } finally {
      state.busy = false;
      if (state.again) {
        state.again = false;
        refresh();
      }
    }
  }

  function start() {
    stopPolling();
    if (state.agent && state.agent.role && state.agent.role !== 'supervisor') {
      refuse();  // the API would answer 403 too; no need to ask
      return;
    }
    refresh();
    state.timer = setInterval(refresh, POLL_MS);
  }

  function stopPolling() {
    clearInterval(state.timer);
    state.timer = null;
  }

  /* ---------------------------------------------------------------- render */

  function render() {
    const m = state.metrics;
    if (!m) return;
    $('updated').textContent = t('updated', { time: state.updatedAt.toLocaleTimeString(locale()) });
    $('now-waiting').textContent = count(m.waiting_count);
    $('now-longest').textContent = m.waiting_count ? duration(m.longest_wait_s) : '—';
    $('now-over-sla').textContent = t('now.overSlaOf', { n: count(m.waiting_over_sla), total: count(m.waiting_count) });
    $('now-over-sla-rate').textContent = blank(m.waiting_over_sla_rate) ? '' : percent(m.waiting_over_sla_rate);
    $('fig-over-sla').classList.toggle('alarm', Number(m.waiting_over_sla) > 0);
    $('fig-longest').classList.toggle('alarm', Number(m.waiting_over_sla) > 0);
    $('now-with-agent').textContent = count(m.with_agent_count);
    $('now-online').textContent = count(m.agents_online);

    $('period-range').textContent = t('period.range', { from: dateTime(m.since), to: dateTime(m.until) });
    $('period-escalations').textContent = count(m.escalations_total);
    $('period-breach-rate').textContent = percent(m.sla_breach_rate);
    $('period-breaches').textContent = m.escalations_total
      ? t('period.breachesOf', { n: count(m.sla_breaches), total: count(m.escalations_total) }) : '';
    $('period-abandoned').textContent = count(m.abandoned);
    $('period-abandoned-rate').textContent = blank(m.abandonment_rate) ? '' : t('period.ofTotal', { rate: percent(m.abandonment_rate) });
    $('period-average-wait').textContent = duration(m.average_wait_s);
    $('period-containment').textContent = percent(m.containment_rate);
    $('period-csat').textContent = blank(m.csat_average) ? '—' : Number(m.csat_average).toFixed(2);
    $('period-csat-count').textContent = m.csat_count ? t('period.csatCount', { n: m.csat_count }) : '';

    renderHistogram(Array.isArray(m.waiting_histogram) ? m.waiting_histogram : []);
    renderReasons(m.escalations_by_reason || {});
    renderAgents(Array.isArray(m.agents) ? m.agents : []);
    renderOldest(state.oldest);
  }

  function niceMax(value) {
    if (!(value > 4)) return 4;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].find((f) => f * magnitude >= value) * magnitude;
  }

  function emptyChart(node) {
    node.setAttribute('viewBox', '0 0 520 60');
    node.replaceChildren(svg('text', { class: 'chart-empty', x: 260, y: 30, 'text-anchor': 'middle' }, t('noData')));
  }

  /** Vertical bars: how many people are waiting now, per band of how long they have waited. */
  function renderHistogram(buckets) {
    const node = $('histogram');
    const data = buckets.map((b) => ({ key: `${b.from_s}-${b.to_s ?? ''}`, label: bucketLabel(b), n: Number(b.count) || 0, late: b.from_s >= 900 }));
    $('histogram-desc').textContent = t('histogram.desc', { items: data.map((d) => `${d.label}: ${d.n}`).join(', ') });
    if (!data.length) {
      emptyChart(node);
      return;
    }
    const width = 520;
    const height = 240;
    const margin = { top: 18, right: 10, bottom: 40, left: 40 };
    const max = niceMax(Math.max(...data.map((d) => d.n)));
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const slot = plotW / data.length;
    const barW = slot * 0.72;
    const yOf = (n) => margin.top + plotH - (n / max) * plotH;
    const ticks = [0, 0.5, 1].map((f) => f * max).map((n) => svg('g', { class: 'tick' },
      svg('line', { class: 'grid-line', x1: margin.left, x2: width - margin.right, y1: yOf(n), y2: yOf(n) }),
      svg('text', { class: 'chart-axis', x: margin.left - 6, y: yOf(n), 'text-anchor': 'end', 'dominant-baseline': 'central' }, count(n))));
    const bars = data.map((d, i) => {
      const x = margin.left + i * slot + (slot - barW) / 2;
      const y = yOf(d.n);
      return svg('g', { class: 'bar-group', dataset: { bucket: d.key, count: d.n } },
        svg('title', {}, `${d.label}: ${d.n}`),
        svg('rect', { class: d.late ? 'bar bar-late' : 'bar bar-ok', x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: (margin.top + plotH - y).toFixed(1), rx: 2 }),
        d.n ? svg('text', { class: 'chart-value', x: (x + barW / 2).toFixed(1), y: (y - 4).toFixed(1), 'text-anchor': 'middle' }, count(d.n)) : null,
        svg('text', { class: 'chart-axis', x: (x + barW / 2).toFixed(1), y: height - margin.bottom + 16, 'text-anchor': 'middle' }, d.label));
    });
    node.setAttribute('viewBox', `0 0 ${width} ${height}`);
    node.replaceChildren(...ticks, ...bars,
      svg('line', { class: 'axis-line', x1: margin.left, x2: width - margin.right, y1: margin.top + plotH, y2: margin.top + plotH }));
  }

  /** Horizontal bars: hand-overs per reason, most first, with the reasons' human labels. */
  function renderReasons(byReason) {
    const node = $('reasons');
    const entries = Object.entries(byReason).map(([code, n]) => [code, Number(n) || 0])
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    $('reasons-desc').textContent = t('reasons.desc', { items: entries.map(([code, n]) => `${reasonLabel(code)}: ${n}`).join(', ') });
    if (!entries.length) {
      emptyChart(node);
      return;
    }
    const width = 520;
    const labelWidth = 220;
    const barHeight = 22;
    const gap = 8;
    const top = 6;
    const height = top * 2 + entries.length * (barHeight + gap);
    const max = niceMax(Math.max(...entries.map(([, n]) => n)));
    const plotWidth = width - labelWidth - 40;
    node.setAttribute('viewBox', `0 0 ${width} ${height}`);
    node.replaceChildren(...entries.map(([code, n], i) => {
      const y = top + i * (barHeight + gap);
      const w = Math.max(n > 0 ? 2 : 0, (n / max) * plotWidth);
      const name = reasonLabel(code);
      return svg('g', { class: 'bar-group', dataset: { key: code, count: n } },
        svg('title', {}, `${name}: ${n}`),
        svg('text', { class: 'reason-label', x: labelWidth - 8, y: y + barHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' }, name),
        svg('rect', { class: 'bar bar-reason', x: labelWidth, y, width: w.toFixed(1), height: barHeight, rx: 3 }),
        svg('text', { class: 'chart-value', x: labelWidth + w + 6, y: y + barHeight / 2, 'dominant-baseline': 'central' }, count(n)));
    }));
  }

  function renderAgents(agents) {
    $('agents-empty').hidden = agents.length > 0;
    $('agents-body').replaceChildren(...agents.map((a) => el('tr', { dataset: { agent: a.username } },
      el('th', { scope: 'row' }, a.display_name || a.username),
      el('td', {}, el('span', { class: a.online ? 'dot dot-on' : 'dot dot-off' }, t(a.online ? 'agents.yes' : 'agents.no'))),
      el('td', { class: 'num agent-handled' }, count(a.handled)),
      el('td', { class: 'num agent-handle' }, duration(a.average_handle_s)),
      el('td', { class: 'num agent-csat' }, a.csat_count
        ? t('agents.csatCell', { avg: Number(a.csat_average).toFixed(1), n: a.csat_count }) : '—'))));
  }

  function renderOldest(tickets) {
    $('oldest-empty').hidden = tickets.length > 0;
    $('oldest-body').replaceChildren(...tickets.map((ticket) => {
      const p = Math.min(Math.max(Math.round(Number(ticket.priority)) || 5, 1), 5);
      const reason = ticket.reason && typeof ticket.reason === 'object' ? ticket.reason.code : ticket.reason;
      return el('tr', { dataset: { ticketId: ticket.ticket_id } },
        el('td', { class: 'num' }, duration(ticket.waiting_s)),
        el('td', {}, el('span', { class: `badge sup-priority-${p}` }, t('priority', { n: ticket.priority ?? '?' }))),
        el('td', {},
          el('span', { class: `badge sup-state-${ticket.state === 'callback' ? 'callback' : 'queued'}` },
            has(`state.${ticket.state}`) ? t(`state.${ticket.state}`) : String(ticket.state)),
          ticket.sla_breached ? ' ' : null,
          ticket.sla_breached ? el('span', { class: 'badge sup-breached' }, t('sla.breached')) : null),
        el('td', {}, reasonLabel(reason)),
        el('td', {}, channelLabel(ticket.channel)),
        // the summary in the view's language (rows carry both; issue 14)
        el('td', { class: 'summary-cell' }, (ticket.summaries && ticket.summaries[state.lang]) || ticket.summary || ''));
    }));
  }

  /* --------------------------------------------------------------- language */

  function applyLanguage(lang) {
    state.lang = STRINGS[lang] ? lang : 'en';
    localStorage.setItem(STORAGE.lang, state.lang);
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    const toggle = $('lang-toggle');
    toggle.textContent = t('lang.other');
    toggle.lang = state.lang === 'zh' ? 'en' : 'zh';
    render();
  }

  /* ------------------------------------------------------------------ start */

  function init() {
    $('lang-toggle').addEventListener('click', () => applyLanguage(state.lang === 'en' ? 'zh' : 'en'));
    mountLogin({ api, t, onLoggedIn: loggedIn });
    $('period').addEventListener('change', () => {
      $('period-since').hidden = $('period').value !== 'custom';
      if ($('period').value !== 'custom') refresh();
    });
    $('period-form').addEventListener('submit', (event) => {
      event.preventDefault();
      refresh();
    });
    applyLanguage(localStorage.getItem(STORAGE.lang) || 'en');
    state.token = sessionStorage.getItem(STORAGE.token);
    try {
      state.agent = JSON.parse(sessionStorage.getItem(STORAGE.agent) || 'null');
    } catch (err) {
      state.agent = null;
    }
    if (state.token) start();
    else show('login');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
