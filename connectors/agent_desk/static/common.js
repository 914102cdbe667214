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
  function apiClient({ getToken, onSessionEnded, t, localize = (status, message) => message }) {
    return async function api(path, { method = 'GET', body } = {}) {
      const headers = { Accept: 'application/json' };
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

  window.DeskCommon = Object.freeze({
    SVG_NS, setAttributes, appendChildren, el, svg, translator, ApiError, readJson, errorMessage, apiClient,
  });
})();
