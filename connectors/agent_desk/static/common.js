/*
 * Helpers shared by the agent desk (app.js) and the supervisor view
 * (supervisor.js), loaded before either as window.DeskCommon.
 *
 * Plain ES2020, no build step, CSP-compatible (no inline script). Server data
 * reaches the page only through text nodes (el()/svg()), never innerHTML.
 */
(() => {
  'use strict';

  const API = '/agent/api';
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function setAttributes(node, attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.setAttribute('class', value);
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on') && typeof value === 'function') {
        node.addEventListener(name.slice(2).toLowerCase(), value);
      } else node.setAttribute(name, value === true ? '' : String(value));
    }
  }

  function appendChildren(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /**
   * Build an element. Strings and numbers among the children become text
   * nodes, so server data can be passed straight in without escaping.
   */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    setAttributes(node, attrs);
    appendChildren(node, children);
    return node;
  }

  /** Build an SVG element, same rules as el(). */
  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttributes(node, attrs);
    appendChildren(node, children);
    return node;
  }

  /**
   * A translate function over strings ({lang: {key: text}}) in the language
   * getLang() names (English as the fallback); {name} placeholders are filled from vars.
   */
  function translator(strings, getLang) {
    return function t(key, vars = {}) {
      const table = strings[getLang()] || strings.en;
      const text = table[key] ?? strings.en[key] ?? key;
      return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    };
  }

  class ApiError extends Error {
    constructor(status, message, data) {
      super(message);
      this.status = status;
      this.data = data;
    }
  }

  async function readJson(response) {
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch (err) {
      return null;
    }
  }

  function errorMessage(data, status) {
    if (data && typeof data === 'object') {
      const message = data.error ?? data.message ?? data.detail;
      if (message) return typeof message === 'string' ? message : JSON.stringify(message);
    }
    return `HTTP ${status}`;
  }

  /**
   * The agent API client of a page: api(path, {method, body}) → the JSON answer.
   * getToken() gives the bearer token; a 401 outside /login calls
   * onSessionEnded(message) and throws an ApiError with sessionEnded set;
   * a 429 carries retryAfter (seconds); a network failure is status 0.
   */
  function apiClient({ getToken, onSessionEnded, t, localize = (status, message) => message, getLanguage = null }) {
    return async function api(path, { method = 'GET', body } = {}) {
      const headers = { Accept: 'application/json' };
      // the desk's language: lists answer with summaries in it (the server's DESK_LANGUAGE otherwise)
      if (getLanguage) headers['Accept-Language'] = getLanguage();
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const token = getToken();
      if (token && path !== '/login') headers.Authorization = `Bearer ${token}`;

      let response;
      try {
        response = await fetch(API + path, {
          method,
          headers,
          cache: 'no-store',
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        throw new ApiError(0, t('error.network'));
      }

      const data = await readJson(response);
      if (Array.isArray(data) && response.headers.get('X-Total-Count') !== null) {
        data.total = Number(response.headers.get('X-Total-Count'));
        // a common search term is counted only to the page (plus one): "50+", not an exact 51
        data.totalCapped = response.headers.get('X-Total-Count-Capped') === 'true';
      }
      if (response.status === 429) {
        const error = new ApiError(429, errorMessage(data, 429), data);
        error.retryAfter = Number(response.headers.get('Retry-After')) || 1;
        throw error;
      }
      if (response.status === 401 && path !== '/login') {
        onSessionEnded(t('login.expired'));
        const error = new ApiError(401, t('login.expired'), data);
        error.sessionEnded = true;
        throw error;
      }
      if (!response.ok) {  // localize(status, the server's reason): the page's words for it
        throw new ApiError(response.status, localize(response.status, errorMessage(data, response.status)), data);
      }
      return data;
    };
  }

  /** What a refused login says: wrong credentials, throttled (with its wait), offline, or the server's reason. */
  function loginRefusal(err, t) {
    if (err.status === 401) return t('login.wrong');
    if (err.status === 429) return t('login.throttled', { s: err.retryAfter });
    return err.status === 0 ? err.message : t('login.failed', { msg: err.message });
  }

  /**
   * The one sign-in form of the agent pages (the desk and the supervisor view), built into the
   * page's <section id="login-view">: user name, password, the error line (#login-error) and the
   * button, their texts under the data-i18n keys login.title/username/password/submit (each page's
   * language switch fills them; the title differs per page). On submit it checks both fields,
   * POSTs /login through api and calls onLoggedIn(token, agent or null, username) with the
   * password field cleared; a refusal is shown in the error line.
   */
  function mountLogin({ api, t, onLoggedIn }) {
    const input = (id, type, autocomplete, extra = {}) =>
      el('input', { id, name: id, type, autocomplete, required: true, ...extra });
    const username = input('username', 'text', 'username', { autocapitalize: 'off', spellcheck: 'false' });
    const password = input('password', 'password', 'current-password');
    const error = el('p', { id: 'login-error', class: 'form-error', role: 'alert' });
    const button = el('button', { type: 'submit', id: 'login-button', class: 'button-primary',
      dataset: { i18n: 'login.submit' } }, t('login.submit'));
    const field = (key, control) => el('div', { class: 'field' },
      el('label', { for: control.id, dataset: { i18n: key } }, t(key)), control);
    const form = el('form', { id: 'login-form', class: 'card login-card', novalidate: true },
      el('h2', { id: 'login-title', dataset: { i18n: 'login.title' } }, t('login.title')),
      field('login.username', username), field('login.password', password), error, button);
    document.getElementById('login-view').replaceChildren(form);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = username.value.trim();
      error.textContent = '';
      if (!name || !password.value) {
        error.textContent = t('login.missing');
        return;
      }
      button.disabled = true;
      try {
        const data = await api('/login', { method: 'POST', body: { username: name, password: password.value } });
        if (!data || !data.token) throw new ApiError(500, 'no token in answer');
        password.value = '';
        onLoggedIn(data.token, data.agent || null, name);
      } catch (err) {
        error.textContent = loginRefusal(err, t);
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  window.DeskCommon = Object.freeze({
    SVG_NS, setAttributes, appendChildren, el, svg, translator, ApiError, readJson, errorMessage, apiClient,
    mountLogin,
  });
})();
