/* Support chat widget. No build step, no dependencies.
 *
 * Embed:
 *   <script>window.SupportChatConfig = { language: "en", customerToken: "<signed JWT or omit>" };</script>
 *   <script src="https://your-rasa-server/chat/widget.js" defer></script>
 *
 * Config (all optional): server (default: where widget.js came from),
 * language ("en" | "zh", default: the page's lang), customerToken, title,
 * initPayload (sent, hidden, when a new conversation opens; default "/greet"),
 * transport ("auto" | "socket" | "rest"), startOpen, socketPath ("/socket.io").
 *
 * Transport: socket.io (Engine.IO v4 over a WebSocket, spoken directly; the
 * protocol of Rasa's socketio channel), falling back to HTTP (POST
 * /chat/api/message, GET /chat/api/poll) when the WebSocket cannot open.
 */
(function () {
  "use strict";
  if (window.SupportChat && window.SupportChat.loaded) return;

  var script = document.currentScript;
  var config = window.SupportChatConfig || {};
  var server = (config.server || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/$/, "");
  var language = config.language || ((document.documentElement.lang || navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en");
  if (language !== "zh") language = "en";
  var STORAGE_KEY = "supportchat.session." + server;

  var TEXT = {
    en: {
      open: "Open chat", close: "Close chat", title: "Customer support", send: "Send",
      input: "Your message", placeholder: "Type your message…", log: "Conversation",
      typing: "The assistant is typing…", agentTyping: "typing…", bot: "Virtual assistant",
      queued: function (n) { return "Waiting for a colleague: you are number " + n + " in the queue."; },
      withAgent: function (name) { return "You are chatting with " + name + " from our support team."; },
      callback: "A colleague will call you back.", agentLabel: function (name) { return name + " (support team)"; },
      you: "You", assistant: "Assistant", system: "Notice", replies: "Suggested replies",
      image: "Image from the assistant", offline: "Connection lost, reconnecting…",
      tooLong: function (n) { return "Messages can be at most " + n + " characters."; }, unread: "new messages"
    },
    zh: {
      open: "打开在线客服", close: "关闭聊天窗口", title: "在线客服", send: "发送",
      input: "输入消息", placeholder: "请输入您的问题…", log: "对话记录",
      typing: "智能助手正在输入…", agentTyping: "正在输入…", bot: "智能助手",
      queued: function (n) { return "正在为您转接人工客服：您目前排在第 " + n + " 位。"; },
      withAgent: function (name) { return "客服" + name + "正在为您服务。"; },
      callback: "客服同事会给您回电。", agentLabel: function (name) { return "客服 " + name; },
      you: "我", assistant: "智能助手", system: "通知", replies: "快捷回复",
      image: "助手发送的图片", offline: "连接已断开，正在重新连接…",
      tooLong: function (n) { return "每条消息最多 " + n + " 个字符。"; }, unread: "条新消息"
    }
  }[language];

  // ---------------------------------------------------------------- DOM
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var css = el("link", { rel: "stylesheet", href: server + "/chat/widget.css" });
  document.head.appendChild(css);

  var launcher = el("button", { type: "button", className: "sc-launcher", "aria-label": TEXT.open,
    "aria-expanded": "false", "aria-controls": "sc-panel" });
  // A speech-bubble icon drawn inline (no icon font, no emoji font needed).
  launcher.innerHTML = '<svg aria-hidden="true" focusable="false" width="28" height="28" viewBox="0 0 24 24">' +
    '<path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z' +
    'm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>';
  var badge = el("span", { className: "sc-badge", hidden: "" });
  launcher.appendChild(badge);
  var title = el("h2", { id: "sc-title", className: "sc-title", text: config.title || TEXT.title });
  var status = el("p", { className: "sc-status", "aria-live": "polite", text: TEXT.bot });
  var closeButton = el("button", { type: "button", className: "sc-close", "aria-label": TEXT.close, text: "×" });
  var log = el("ol", { className: "sc-log", role: "log", "aria-live": "polite", "aria-label": TEXT.log, tabindex: "0" });
  var typing = el("p", { className: "sc-typing", role: "status", hidden: "" }, [
    el("span", { className: "sc-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
    el("span", { text: TEXT.typing })
  ]);
  var error = el("p", { className: "sc-error", role: "alert", hidden: "" });
  var input = el("textarea", { id: "sc-input", className: "sc-input", rows: "1", placeholder: TEXT.placeholder,
    autocomplete: "off" });
  var sendButton = el("button", { type: "submit", className: "sc-send", text: TEXT.send });
  var form = el("form", { className: "sc-form" }, [
    el("label", { "for": "sc-input", className: "sc-visually-hidden", text: TEXT.input }), input, sendButton
  ]);
  var panel = el("section", { id: "sc-panel", className: "sc-panel", role: "dialog", "aria-labelledby": "sc-title",
    hidden: "", lang: language === "zh" ? "zh-CN" : "en" }, [
    el("header", { className: "sc-header" }, [el("div", {}, [title, status]), closeButton]),
    log, typing, error, form
  ]);
  var root = el("div", { className: "sc-root" }, [panel, launcher]);

  // ------------------------------------------------------------ rendering
  // The markdown the bot's responses use: [text](url), bare URLs, **bold**, "- " list lines.
  var INLINE = /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"')]+[^\s<>"').,;!?])|\*\*([^*\n]+)\*\*/g;

  function richText(text) {
    var fragment = document.createDocumentFragment();
    var lines = String(text).split("\n");
    lines.forEach(function (line, index) {
      var last = 0, match;
      if (/^\s*[-*] /.test(line)) line = line.replace(/^\s*[-*] /, "• ");
      INLINE.lastIndex = 0;
      while ((match = INLINE.exec(line)) !== null) {
        if (match.index > last) fragment.appendChild(document.createTextNode(line.slice(last, match.index)));
        if (match[4]) {
          fragment.appendChild(el("strong", { text: match[4] }));
        } else {
          var href = match[2] || match[3];
          fragment.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: match[1] || href }));
        }
        last = INLINE.lastIndex;
      }
      if (last < line.length) fragment.appendChild(document.createTextNode(line.slice(last)));
      if (index < lines.length - 1) fragment.appendChild(el("br"));
    });
    return fragment;
  }

  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".sc-replies"), function (group) { group.remove(); });
  }

  function render(message) {
    var from = message.from || "bot";
    var who = from === "user" ? TEXT.you : from === "agent" ? TEXT.agentLabel(message.agent || "")
      : from === "system" ? TEXT.system : TEXT.assistant;
    var item = el("li", { className: "sc-message sc-from-" + from });
    item.appendChild(el("span", { className: from === "agent" ? "sc-who sc-agent-name" : "sc-who sc-visually-hidden",
      text: who + (from === "agent" ? "" : ":") }));
    if (message.text) {
      var bubble = el("div", { className: "sc-bubble" });
      bubble.appendChild(richText(message.text));
      item.appendChild(bubble);
    }
    var image = message.attachment && message.attachment.type === "image" && message.attachment.payload &&
      message.attachment.payload.src;
    if (image && /^https?:\/\//.test(image)) {
      item.appendChild(el("img", { className: "sc-image", src: image, alt: TEXT.image, loading: "lazy" }));
    }
    if (message.quick_replies && message.quick_replies.length) {
      var group = el("div", { className: "sc-replies", role: "group", "aria-label": TEXT.replies });
      message.quick_replies.forEach(function (reply) {
        var button = el("button", { type: "button", className: "sc-reply", text: reply.title });
        button.addEventListener("click", function () {
          send(reply.payload, { shown_as: reply.title });
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (panel.hidden && from !== "user" && historyLoaded) {
      unread += 1;
      badge.textContent = String(unread);
      badge.setAttribute("aria-label", unread + " " + TEXT.unread);
      badge.hidden = false;
    }
  }

  function showStatus(state) {
    if (!state) return;
    currentState = state.state;
    if (state.state === "queued") status.textContent = TEXT.queued(state.position);
    else if (state.state === "with_agent") status.textContent = TEXT.withAgent(state.agent || "");
    else if (state.state === "callback") status.textContent = TEXT.callback;
    else status.textContent = TEXT.bot;
    panel.setAttribute("data-state", state.state);
  }

  function showError(problem) {
    error.textContent = problem && problem.message ? problem.message : String(problem);
    error.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(function () { error.hidden = true; }, 8000);
  }

  function setTyping(on) { typing.hidden = !on; }

  // ------------------------------------------------------------ state
  var sessionId = null;
  try { sessionId = localStorage.getItem(STORAGE_KEY); } catch (e) { /* storage blocked */ }
  var historyLoaded = false, unread = 0, currentState = "bot", transport = null, started = false;

  function remember(id) {
    sessionId = id;
    try { localStorage.setItem(STORAGE_KEY, id); } catch (e) { /* storage blocked */ }
  }

  function onHistory(messages) {
    historyLoaded = false;
    log.textContent = "";
    (messages || []).forEach(render);
    // Suggested replies stay only on what came after the customer's last message, as when it was live.
    var users = log.querySelectorAll(".sc-from-user");
    var lastUser = users.length ? users[users.length - 1] : null;
    Array.prototype.forEach.call(log.querySelectorAll(".sc-replies"), function (group) {
      if (lastUser && (group.compareDocumentPosition(lastUser) & Node.DOCUMENT_POSITION_FOLLOWING)) group.remove();
    });
    historyLoaded = true;
    var fresh = (messages || []).filter(function (m) { return m["new"]; }).length;
    unread = panel.hidden ? fresh : 0;
    badge.textContent = String(unread);
    badge.setAttribute("aria-label", unread + " " + TEXT.unread);
    badge.hidden = unread === 0;
    if (!messages || !messages.length) {
      var payload = config.initPayload === undefined ? "/greet" : config.initPayload;
      if (payload) {
        if (payload === "/greet") payload = "/greet" + JSON.stringify({ language: language });
        transport.send(payload, { hidden: true });
      }
    }
  }

  function send(text, extra) {
    if (!transport) return;
    var data = extra || {};
    if (!data.hidden) clearQuickReplies();  // answered: the suggestions of the last turn go
    if (!data.hidden) render({ from: "user", text: data.shown_as || text });
    transport.send(text, data);
  }

  function newMessageId() {  // unique per conversation: processed once by the server
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }

  // ------------------------------------------------------------ socket.io over WebSocket
  function SocketTransport(onFail) {
    var self = this, ws = null, opened = false, retries = 0, closedByUs = false, ready = false;
    var unsent = [];  // messages typed while the connection was down: sent once the session is back
    // Sent but not acknowledged (the server acknowledges once the turn is done): sent again, with the
    // same message_id, after a reconnect; the server processes an id once (bot/storage/idempotency.py).
    var inflight = [], acks = {}, ackSeq = 0;
    var path = (config.socketPath || "/socket.io").replace(/\/$/, "");
    var url = server.replace(/^http/, "ws") + path + "/?EIO=4&transport=websocket";

    function emit(name, data) {
      if (ws && ws.readyState === 1) ws.send("42" + JSON.stringify([name, data]));
    }
    function utter(data) {  // user_uttered with an ack id; acknowledged: no longer in flight
      if (inflight.indexOf(data) < 0) inflight.push(data);
      if (!(ws && ws.readyState === 1)) return;
      ackSeq += 1;
      acks[ackSeq] = function () { inflight = inflight.filter(function (d) { return d !== data; }); };
      ws.send("42" + ackSeq + JSON.stringify(["user_uttered", data]));
    }
    var handlers = {
      session_confirm: function (id) { remember(typeof id === "string" ? id : id.session_id); },
      history: function (messages) {
        onHistory(messages);
        ready = true;
        acks = {};
        inflight.slice().forEach(utter);  // already shown; the server answers an id once
        var waiting = unsent;
        unsent = [];
        waiting.forEach(function (data) {
          if (!data.hidden) render({ from: "user", text: data.shown_as || data.message });
          utter(data);
        });
      },
      bot_uttered: function (message) { render(message); },
      user_echo: function (message) { clearQuickReplies(); render(message); },  // sent from another tab
      typing: function (data) { setTyping(!!(data && data.on)); },
      status: showStatus,
      chat_error: function (problem) {
        setTyping(false);
        showError(problem);
        if (problem && problem.code === "unavailable") {  // the server could not start the session: ask again
          setTimeout(function () {
            emit("session_request", { session_id: sessionId, protocol: "qx-webchat/1", customer_token: config.customerToken || null,
              language: language });
          }, 5000);
        }
      }
    };

    function connect() {
      try { ws = new WebSocket(url); } catch (e) { onFail(); return; }
      ws.onmessage = function (event) {
        var packet = String(event.data), type = packet.charAt(0);
        if (type === "0") {                       // engine.io open
          ws.send("40");                          // socket.io connect, default namespace
        } else if (type === "2") {                // ping
          ws.send("3");
        } else if (type === "4") {                // socket.io packet
          var kind = packet.charAt(1), body = packet.slice(2);
          if (kind === "0") {                     // connected
            opened = true; retries = 0;
            panel.removeAttribute("data-offline");
            emit("session_request", { session_id: sessionId, protocol: "qx-webchat/1", customer_token: config.customerToken || null,
              language: language });
          } else if (kind === "4") {              // connect refused
            closedByUs = true;
            showError(JSON.parse(body || "{}"));
            ws.close();
          } else if (kind === "2") {              // event, with an ack id when the server waits for one
            var parts = /^(\d*)([\s\S]*)$/.exec(body);
            var args = JSON.parse(parts[2]);
            var handler = handlers[args[0]];
            if (handler) handler(args[1]);
            if (parts[1]) ws.send("43" + parts[1] + "[]");
          } else if (kind === "3") {              // acknowledgement of one of our events
            var ack = /^(\d+)/.exec(body), done = ack && acks[ack[1]];
            if (done) { delete acks[ack[1]]; done(); }
          }
        }
      };
      ws.onclose = function () {
        ready = false;
        setTyping(false);
        if (closedByUs) return;
        if (!opened && retries >= 1) { onFail(); return; }
        panel.setAttribute("data-offline", "");
        retries += 1;
        setTimeout(connect, Math.min(15000, 500 * Math.pow(2, retries)));
      };
    }

    self.send = function (text, extra) {
      var data = { message: text, session_id: sessionId, message_id: newMessageId() };
      Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
      if (ready && ws && ws.readyState === 1) utter(data);
      else unsent.push(data);
    };
    self.refreshStatus = function () { emit("status_request", {}); };
    self.name = "socket";
    connect();
  }

  // ------------------------------------------------------------ plain HTTP fallback
  function RestTransport() {
    var self = this, timer = null;
    function post(path, body) {
      return fetch(server + "/chat/api/" + path, {
        // text/plain: a "simple" request, no CORS preflight from embedding sites
        method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body)
      }).then(function (r) { return r.json(); });
    }
    function receive(reply) {
      if (reply.error) showError(reply.error);
      (reply.messages || []).forEach(render);
      showStatus(reply.status);
    }
    function poll() {
      if (!sessionId) return;
      fetch(server + "/chat/api/poll?session_id=" + encodeURIComponent(sessionId))
        .then(function (r) { return r.json(); }).then(receive).catch(function () { /* next poll */ });
    }
    self.send = function (text, extra) {
      var body = { session_id: sessionId, message: text, customer_token: config.customerToken || null,
        language: language, message_id: newMessageId() };
      Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
      setTyping(true);
      post("message", body).then(receive).catch(function () {
        showError(TEXT.offline);
        if (!input.value && !body.hidden) input.value = body.shown_as ? "" : text;  // typed text is not lost
      })
        .then(function () { setTyping(false); });
    };
    self.refreshStatus = poll;
    self.name = "rest";
    post("session", { session_id: sessionId, customer_token: config.customerToken || null, language: language })
      .then(function (reply) {
        if (reply.error) showError(reply.error);
        remember(reply.session_id);
        showStatus(reply.status);
        onHistory(reply.history);
        timer = setInterval(poll, 3000);
      }).catch(function () { showError(TEXT.offline); });
  }

  function start() {
    if (started) return;
    started = true;
    var wanted = config.transport || "auto";
    function fallback() { transport = new RestTransport(); widget.transport = "rest"; }
    if (wanted === "rest" || typeof WebSocket === "undefined") fallback();
    else { transport = new SocketTransport(wanted === "socket" ? function () {} : fallback); widget.transport = "socket"; }
    setInterval(function () { if (currentState === "queued" && transport) transport.refreshStatus(); }, 15000);
  }

  // ------------------------------------------------------------ open / close / keyboard
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", TEXT.close);
    unread = 0; badge.hidden = true;
    start();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", TEXT.open);
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  var widget = window.SupportChat = { loaded: true, open: open, close: close, language: language,
    get sessionId() { return sessionId; } };

  function mount() {
    document.body.appendChild(root);
    if (sessionId) start();          // reconnect: history and waiting agent replies
    if (config.startOpen) open();
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
