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
 * protocol of Rasa's socketio channel, asking for the richer "qx-webchat/1"
 * shapes), falling back to HTTP (POST /chat/api/message, POST /chat/api/poll
 * with the session in the body) when the WebSocket cannot open.
 *
 * Shown to the customer: each message's time (local, from the server's
 * timestamp when there is one); on their own messages "Sending…" until the
 * server acknowledged it, then "Sent", then "Read" once an agent loaded the
 * ticket showing it (the server's "read" signal); "Waiting for the
 * connection" on what was typed while offline (sent once, with the same
 * message_id, when the connection is back); "<agent> is typing…"; a
 * "reconnecting…" banner (aria-live) while the socket is down.
 *
 * Photos: the paper-clip button (or Enter/Space on it) picks a picture; it is
 * uploaded (POST /chat/api/attachments, the server checks it by content) and
 * sent as a "[photo]" message carrying its attachment_id; the customer's own
 * photo and pictures from the support team show as thumbnails (click: full size).
 */
(function () {
  "use strict";
  if (window.SupportChat && window.SupportChat.loaded) return;

  var script = document.currentScript;
  var config = window.SupportChatConfig || {};
  var server = (config.server || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/$/, "");
  var language = config.language || ((document.documentElement.lang || navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en");
  if (language !== "zh") language = "en";
  // One stored chat per customer signed in on this browser, and one for signed-out visits (session 48: on a
  // shared computer, a signed-out visit must not open the last customer's chat, which the server refuses anyway,
  // and she must find hers again when she signs in; a signed-in page must not take over a visitor's chat).
  // The token's "sub" is read only to name the slot; the server checks the signature.
  function tokenSubject(token) {
    try {
      var claims = JSON.parse(atob(String(token).split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return typeof claims.sub === "string" && claims.sub ? claims.sub : null;
    } catch (e) { return null; }
  }
  var signedInAs = config.customerToken ? tokenSubject(config.customerToken) : null;
  var SIGNED_OUT_KEY = "supportchat.session." + server;
  var STORAGE_KEY = SIGNED_OUT_KEY + (signedInAs ? "|" + signedInAs : "");

  var TEXT = {
    en: {
      open: "Open chat", close: "Close chat", title: "Customer support", send: "Send",
      input: "Your message", placeholder: "Type your message…", log: "Conversation",
      typing: "The assistant is typing…", agentTyping: "typing…", bot: "Virtual assistant",
      queued: function (n) { return "Waiting for a colleague: you are number " + n + " in the queue."; },
      withAgent: function (name) { return "You are chatting with " + name + " from our support team."; },
      // a call-back, by how the answer comes (the status's reply_by, bot/services/webchat.reply_by)
      callback: { phone: "A colleague will call you back.", email: "A colleague will answer by e-mail.",
        sms: "A colleague will answer by text message.", chat: "A colleague will answer here in this chat." },
      agentLabel: function (name) { return name + " (support team)"; },
      you: "You", assistant: "Assistant", system: "Notice", replies: "Suggested replies",
      image: "Image from the assistant", offline: "Connection lost, reconnecting…",
      tooLong: function (n) { return "Messages can be at most " + n + " characters."; }, unread: "new messages",
      agentIsTyping: function (name) { return (name || "Our colleague") + " is typing…"; },
      receipt: { pending: "Waiting for the connection, will send", sending: "Sending…", sent: "Sent", read: "Read",
        failed: "Not sent" },
      attach: "Attach a photo", photo: "[photo]", yourPhoto: "Your photo", agentPhoto: "Photo from our support team",
      uploading: "Uploading your photo…", uploadFailed: "The photo could not be sent; please try again.",
      // what the customer reads for a refusal of this code (else the server's message, written for them in English)
      errors: { signIn: "We couldn't confirm your sign-in, so this chat goes on without it. To chat signed in, sign in again on our site." },
      // a refused photo, by the server's code (issue 14)
      photoRefused: {
        photo_quota: "You have sent as many photos as this chat allows for now. Please describe the problem in words, or try again later.",
        too_large: "This photo is too large. Please send a smaller one.",
        too_many_pixels: "This photo is too large. Please send a smaller one.",
        not_an_image: "Only photos (PNG, JPEG, WebP or GIF) can be sent.",
        empty: "The photo was empty. Please choose it again.",
        rate_limited: "You are sending too quickly. Please wait a moment and try again.",
        too_many_scans: "This photo is saved in a way we cannot check. Please take a screenshot of it, or save it again as an ordinary JPEG, and send that.",
        busy: "We are checking many photos right now. Please try again in a minute.",
        too_complex: "This photo takes too long to check. Please send a smaller photo, or a screenshot of it.",
        checks_in_flight: "Your previous photo is still being checked. Please wait until it is sent, then try again.",
        unknown_session: "This chat has ended. Please reload the page to start a new one.",
        origin_not_allowed: "Photos cannot be sent from this page."
      }
    },
    zh: {
      open: "打开在线客服", close: "关闭聊天窗口", title: "在线客服", send: "发送",
      input: "输入消息", placeholder: "请输入您的问题…", log: "对话记录",
      typing: "智能助手正在输入…", agentTyping: "正在输入…", bot: "智能助手",
      queued: function (n) { return "正在为您转接人工客服：您目前排在第 " + n + " 位。"; },
      withAgent: function (name) { return "客服" + name + "正在为您服务。"; },
      callback: { phone: "客服同事会给您回电。", email: "客服同事会通过电子邮件答复您。", sms: "客服同事会通过短信答复您。",
        chat: "客服同事会在这个对话里答复您。" },
      agentLabel: function (name) { return "客服 " + name; },
      you: "我", assistant: "智能助手", system: "通知", replies: "快捷回复",
      image: "助手发送的图片", offline: "连接已断开，正在重新连接…",
      tooLong: function (n) { return "每条消息最多 " + n + " 个字符。"; }, unread: "条新消息",
      agentIsTyping: function (name) { return "客服" + (name || "") + "正在输入…"; },
      receipt: { pending: "等待网络恢复后发送", sending: "发送中…", sent: "已发送", read: "已读", failed: "未发送" },
      attach: "上传图片", photo: "[图片]", yourPhoto: "您发送的图片", agentPhoto: "客服发送的图片",
      uploading: "正在上传图片…", uploadFailed: "图片发送失败，请重试。",
      errors: { signIn: "未能确认您的登录状态，本次对话将在未登录状态下继续。如需以登录身份咨询，请在网站上重新登录。",
        rate_limited: "操作过于频繁，请稍等片刻再试。", too_long: "消息太长，请分几条发送。",
        unavailable: "暂时无法连接在线客服，稍后将自动重试。", server_error: "助手未能回复这条消息，请重试。",
        bad_request: "这条消息无法发送，请修改后重试。" },
      photoRefused: {
        photo_quota: "您在本次对话中发送的图片已达上限。请用文字描述问题，或稍后再试。",
        too_large: "图片太大，请发送较小的图片。",
        too_many_pixels: "图片太大，请发送较小的图片。",
        not_an_image: "只能发送图片（PNG、JPEG、WebP 或 GIF）。",
        empty: "图片是空的，请重新选择。",
        rate_limited: "您发送得太快了，请稍等片刻再试。",
        too_many_scans: "这张图片的保存方式无法检查。请截图后发送，或另存为普通 JPEG 图片再发送。",
        busy: "现在需要检查的图片较多，请一分钟后再试。",
        too_complex: "这张图片检查耗时过长。请发送较小的图片，或截图后发送。",
        checks_in_flight: "您上一张图片还在检查中，请等它发送后再试。",
        unknown_session: "本次对话已结束，请刷新页面开始新的对话。",
        origin_not_allowed: "无法从此页面发送图片。"
      }
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
  var typingText = el("span", { text: TEXT.typing });
  var typing = el("p", { className: "sc-typing", role: "status", hidden: "" }, [
    el("span", { className: "sc-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]), typingText
  ]);
  // Always in the page (a live region must exist before its text changes); empty = not shown.
  var banner = el("p", { className: "sc-banner", role: "status", "aria-live": "polite" });
  var error = el("p", { className: "sc-error", role: "alert", hidden: "" });
  var input = el("textarea", { id: "sc-input", className: "sc-input", rows: "1", placeholder: TEXT.placeholder,
    autocomplete: "off" });
  var sendButton = el("button", { type: "submit", className: "sc-send", text: TEXT.send });
  // Photos: a real button (keyboard, screen readers) that opens the hidden file picker.
  var fileInput = el("input", { type: "file", className: "sc-file", accept: "image/png,image/jpeg,image/webp,image/gif",
    tabindex: "-1", "aria-hidden": "true" });
  var attachButton = el("button", { type: "button", className: "sc-attach", "aria-label": TEXT.attach, title: TEXT.attach });
  attachButton.innerHTML = '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">' +
    '<path fill="currentColor" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0' +
    'V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg>';
  var form = el("form", { className: "sc-form" }, [
    el("label", { "for": "sc-input", className: "sc-visually-hidden", text: TEXT.input }), attachButton, fileInput,
    input, sendButton
  ]);
  var panel = el("section", { id: "sc-panel", className: "sc-panel", role: "dialog", "aria-labelledby": "sc-title",
    hidden: "", lang: language === "zh" ? "zh-CN" : "en" }, [
    el("header", { className: "sc-header" }, [el("div", {}, [title, status]), closeButton]),
    banner, log, typing, error, form
  ]);
  var root = el("div", { className: "sc-root" }, [panel, launcher]);

  // ------------------------------------------------------------ rendering
  // The markdown the bot's responses use: [text](url), bare URLs, **bold**, "- " list lines. A link is
  // http(s), or mailto: with one plain address (the contact FAQ; rev14d): no other scheme, no query.
  var INLINE = /\[([^\]]+)\]\((https?:\/\/[^\s)]+|mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\)|(https?:\/\/[^\s<>"')]+[^\s<>"').,;!?])|\*\*([^*\n]+)\*\*/g;

  // A backslash-escaped character (CommonMark: the server escapes every value the bot echoes, bot/nlg.py, so
  // a customer's "[text](https://…)" or URL echoed by the bot is never a link) is kept aside as a
  // private-use character while the marks are read, then shown as itself.
  var ESCAPED = /\\([!-\/:-@[-`{-~])/g, KEPT = /[\uE000-\uE07F]/g;

  function keepEscaped(text) {
    return text.replace(ESCAPED, function (m, c) { return String.fromCharCode(0xE000 + c.charCodeAt(0)); });
  }

  function giveBack(text) {
    return text.replace(KEPT, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xE000); });
  }

  function richText(text) {
    var fragment = document.createDocumentFragment();
    var lines = keepEscaped(String(text)).split("\n");
    lines.forEach(function (line, index) {
      var last = 0, match;
      if (/^\s*[-*] /.test(line)) line = line.replace(/^\s*[-*] /, "• ");
      INLINE.lastIndex = 0;
      while ((match = INLINE.exec(line)) !== null) {
        if (match.index > last) fragment.appendChild(document.createTextNode(giveBack(line.slice(last, match.index))));
        if (match[4]) {
          fragment.appendChild(el("strong", { text: giveBack(match[4]) }));
        } else {
          var href = giveBack(match[2] || match[3]), label = giveBack(match[1] || "");
          fragment.appendChild(href.indexOf("mailto:") === 0
            ? el("a", { href: href, text: label })  // the mail program, not a new tab
            : el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label || href }));
        }
        last = INLINE.lastIndex;
      }
      if (last < line.length) fragment.appendChild(document.createTextNode(giveBack(line.slice(last))));
      if (index < lines.length - 1) fragment.appendChild(el("br"));
    });
    return fragment;
  }

  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".sc-replies"), function (group) { group.remove(); });
  }

  // ------------------------------------------------------------ times and receipts
  var readUpTo = null;  // Unix seconds: the customer's messages up to then were seen by an agent

  function clock(seconds) {
    var when = new Date(seconds * 1000), options = { hour: "2-digit", minute: "2-digit" };
    if (when.toDateString() !== new Date().toDateString()) { options.month = "short"; options.day = "numeric"; }
    return when.toLocaleString(language === "zh" ? "zh-CN" : "en", options);
  }

  function stamp(item, seconds, fromServer) {
    var time = item.querySelector("time");
    time.setAttribute("datetime", new Date(seconds * 1000).toISOString());
    time.textContent = clock(seconds);
    if (fromServer) item.setAttribute("data-ts", String(seconds));
  }

  function setReceipt(item, state) {
    var receipt = item && item.querySelector(".sc-receipt");
    if (!receipt) return;
    if (state === "sent" && readUpTo !== null && item.hasAttribute("data-ts") &&
        Number(item.getAttribute("data-ts")) <= readUpTo + 0.001) state = "read";
    item.setAttribute("data-receipt", state);
    receipt.textContent = TEXT.receipt[state];
  }

  function ownMessage(messageId) {  // the customer's message with this id, if shown
    var items = log.querySelectorAll(".sc-from-user");
    for (var i = items.length - 1; i >= 0; i -= 1) {
      if (items[i].getAttribute("data-message-id") === messageId) return items[i];
    }
    return null;
  }

  function acknowledged(messageId, seconds) {  // the server has the message
    var item = ownMessage(messageId);
    if (!item) return;
    if (typeof seconds === "number") stamp(item, seconds, true);
    setReceipt(item, "sent");
  }

  function markRead(upTo) {
    if (typeof upTo !== "number" || (readUpTo !== null && upTo <= readUpTo)) return;
    readUpTo = upTo;
    Array.prototype.forEach.call(log.querySelectorAll('.sc-from-user[data-receipt="sent"]'), function (item) {
      setReceipt(item, "sent");
    });
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
    if (typeof image === "string" && image.indexOf("/chat/api/attachments/") === 0) image = server + image;  // a photo
    if (image && /^https?:\/\//.test(image)) {
      var alt = from === "user" ? TEXT.yourPhoto : from === "agent" ? TEXT.agentPhoto : TEXT.image;
      // our photos: the small preview (?size=thumb; the picture itself when it is small), full size on click
      var preview = /\/chat\/api\/attachments\/[0-9a-f]{32}(\?|$)/.test(image)
        ? image + (image.indexOf("?") < 0 ? "?" : "&") + "size=thumb" : image;
      item.appendChild(el("a", { className: "sc-image-link", href: image, target: "_blank", rel: "noopener noreferrer" },
        [el("img", { className: "sc-image", src: preview, alt: alt, loading: "lazy" })]));
    }
    var meta = el("span", { className: "sc-meta" }, [el("time")]);
    item.appendChild(meta);
    stamp(item, typeof message.timestamp === "number" ? message.timestamp : Date.now() / 1000,
      typeof message.timestamp === "number");
    if (from === "user") {
      meta.appendChild(el("span", { className: "sc-receipt" }));
      if (message.message_id) item.setAttribute("data-message-id", message.message_id);
      setReceipt(item, message.receipt || "sent");  // from the server (history, another tab): it has it
    }
    if (message.quick_replies && message.quick_replies.length) {
      var group = el("div", { className: "sc-replies", role: "group", "aria-label": TEXT.replies });
      message.quick_replies.forEach(function (reply) {
        var button = el("button", { type: "button", className: "sc-reply", text: reply.title });
        button.addEventListener("click", function () {
          send(reply.payload, { shown_as: reply.title });
          input.focus();  // the buttons are gone: the keyboard user carries on typing
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (from === "agent") setTyping(false);
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
    else if (state.state === "callback") status.textContent = TEXT.callback[state.reply_by] || TEXT.callback.chat;
    else status.textContent = TEXT.bot;
    panel.setAttribute("data-state", state.state);
    markRead(state.read_up_to);
  }

  var SIGN_IN_PROBLEMS = ["invalid_token", "expired_token", "tokens_disabled"];

  // A token the server refused is not sent again (a fresh one the site puts in SupportChatConfig is).
  var refusedToken = null;
  function customerToken() {
    return config.customerToken && config.customerToken !== refusedToken ? config.customerToken : null;
  }

  // The server refused the sign-in: this page is signed out. Its chat is the signed-out slot's, never the one in the
  // slot of the customer the token names (helper-221: a forged token naming her put a stranger's chat in her slot;
  // helper-222: the signed-out visitor's chat was replaced by a new one). True when the session must be asked again.
  function signInRefused(problem) {
    if (!problem || SIGN_IN_PROBLEMS.indexOf(problem.code) < 0 || STORAGE_KEY === SIGNED_OUT_KEY) return false;
    refusedToken = config.customerToken;
    STORAGE_KEY = SIGNED_OUT_KEY;
    try { sessionId = localStorage.getItem(STORAGE_KEY); } catch (e) { sessionId = null; }
    return true;
  }

  function showError(problem) {
    var code = problem && problem.code;
    var mine = SIGN_IN_PROBLEMS.indexOf(code) >= 0 ? TEXT.errors.signIn
      : (typeof code === "string" && Object.prototype.hasOwnProperty.call(TEXT.errors, code) ? TEXT.errors[code] : null);
    error.textContent = mine || (problem && problem.message ? problem.message : String(problem));
    error.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(function () { error.hidden = true; }, 8000);
  }

  function setTyping(on, label) {
    clearTimeout(setTyping.timer);
    typingText.textContent = label || TEXT.typing;
    typing.hidden = !on;
  }

  function agentTyping(data) {  // the desk repeats it every few seconds while the agent types
    setTyping(true, TEXT.agentIsTyping(data && typeof data.agent === "string" ? data.agent : ""));
    setTyping.timer = setTimeout(function () { typing.hidden = true; }, 6000);
  }

  function setOffline(offline) {
    if (offline) panel.setAttribute("data-offline", "");
    else panel.removeAttribute("data-offline");
    banner.textContent = offline ? TEXT.offline : "";
  }

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

  function send(text, extra, shownImage) {
    if (!transport) return;
    var data = extra || {}, messageId = newMessageId();
    if (!data.hidden) clearQuickReplies();  // answered: the suggestions of the last turn go
    if (!data.hidden) render({ from: "user", text: data.shown_as || text, message_id: messageId, receipt: "sending",
      attachment: shownImage ? { type: "image", payload: { src: shownImage } } : undefined });
    transport.send(text, data, messageId);
  }

  // ------------------------------------------------------------ photos
  // A photo over these (the server's defaults are 5 MiB and 25 megapixels) is scaled down in the
  // browser before it is sent (review rev14 #3): a phone's 50-MP or 12 MB picture still goes out.
  var PHOTO_MAX_BYTES = config.photoMaxBytes || 4 * 1024 * 1024;
  var PHOTO_MAX_SIDE = config.photoMaxSide || 3000;

  function fitPhoto(file) {
    if (!window.createImageBitmap || !window.HTMLCanvasElement) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var side = Math.max(bitmap.width, bitmap.height);
      if (file.size <= PHOTO_MAX_BYTES && side <= PHOTO_MAX_SIDE) { bitmap.close(); return file; }
      // smaller until the JPEG fits (a few tries; the server refuses what still does not)
      function encode(scale, tries) {
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(function (blob) { resolve(blob); }, "image/jpeg", 0.85);
        }).then(function (blob) {
          if (blob && blob.size > PHOTO_MAX_BYTES && tries > 0) return encode(scale * 0.7, tries - 1);
          return blob || file;
        });
      }
      return encode(Math.min(1, PHOTO_MAX_SIDE / side), 4).then(function (body) { bitmap.close(); return body; });
    }).catch(function () { return file; });  // not a picture the browser reads: the server says why
  }

  function sendPhoto(file) {
    if (!file || !sessionId || !transport) return;
    banner.textContent = TEXT.uploading;
    fitPhoto(file).then(function (body) {
      // multipart/form-data: a "simple" request (no CORS preflight), and the session secret in the
      // body, not the URL that proxies log (rev14b #5); the server checks the bytes, not the type
      var form = new FormData();
      form.append("session_id", sessionId);
      form.append("photo", body, "photo");
      return fetch(server + "/chat/api/attachments", { method: "POST", body: form });
    }).then(function (r) {
      return r.json().then(function (reply) { return { ok: r.ok, reply: reply }; });
    }).then(function (answer) {
      banner.textContent = "";
      if (!answer.ok) {
        var refusal = answer.reply && answer.reply.error;
        // a code without a text here: the generic text in the chat's language, never the server's (rev14b #3)
        var known = refusal && Object.prototype.hasOwnProperty.call(TEXT.photoRefused, refusal.code);
        showError(known ? TEXT.photoRefused[refusal.code] : TEXT.uploadFailed);
        return;
      }
      send(TEXT.photo, { attachment_id: answer.reply.id }, answer.reply.url);
    }).catch(function () { banner.textContent = ""; showError(TEXT.uploadFailed); });
  }
  attachButton.addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";  // the same file can be picked again
    sendPhoto(file);
    input.focus();
  });

  function newMessageId() {  // unique per conversation: processed once by the server
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }

  // ------------------------------------------------------------ socket.io over WebSocket
  function SocketTransport(onFail) {
    var self = this, ws = null, opened = false, retries = 0, closedByUs = false, ready = false;
    var retryTimer = null, watchdog = null, aliveMs = 0;
    var unsent = [];  // messages typed while the connection was down: sent once the session is back
    // Sent but not acknowledged (the server acknowledges once the turn is done): sent again, with the
    // same message_id, after a reconnect unless the history shows the server has it; the server
    // processes an id once (bot/storage/idempotency.py).
    var inflight = [], acks = {}, ackSeq = 0;
    var path = (config.socketPath || "/socket.io").replace(/\/$/, "");
    var url = server.replace(/^http/, "ws") + path + "/?EIO=4&transport=websocket";

    function connected() { return !!(ws && ws.readyState === 1); }
    function emit(name, data) {
      if (connected()) ws.send("42" + JSON.stringify([name, data]));
    }
    var asked = 0;  // session requests not yet confirmed: only the last one's answer counts
    function askSession() {
      asked += 1;
      emit("session_request", { session_id: sessionId, protocol: "qx-webchat/1", customer_token: customerToken(),
        language: language });
    }
    function utter(data) {  // user_uttered with an ack id; acknowledged: no longer in flight, shown as sent
      if (inflight.indexOf(data) < 0) inflight.push(data);
      if (!connected()) return;
      ackSeq += 1;
      acks[ackSeq] = function (answer) {
        inflight = inflight.filter(function (d) { return d !== data; });
        acknowledged(data.message_id, answer && answer.timestamp);
      };
      setReceipt(ownMessage(data.message_id), "sending");
      ws.send("42" + ackSeq + JSON.stringify(["user_uttered", data]));
    }
    var handlers = {
      session_confirm: function (id) {
        asked = Math.max(0, asked - 1);
        if (!asked) remember(typeof id === "string" ? id : id.session_id);
      },
      history: function (messages) {
        if (asked) return;  // the answer to a request asked again since (a refused sign-in)
        onHistory(messages);
        ready = true;
        acks = {};
        var known = {};  // what the server already has (processed before the connection dropped)
        (messages || []).forEach(function (m) { if (m.message_id) known[m.message_id] = true; });
        var again = inflight.concat(unsent);
        inflight = [];
        unsent = [];
        again.forEach(function (data) {
          if (known[data.message_id]) return;
          if (data.hidden && messages && messages.length) return;  // the opening payload was answered
          if (!data.hidden) render({ from: "user", text: data.shown_as || data.message, message_id: data.message_id,
            receipt: "sending" });
          utter(data);
        });
      },
      bot_uttered: function (message) { render(message); },
      user_echo: function (message) { clearQuickReplies(); render(message); },  // sent from another tab
      typing: function (data) { setTyping(!!(data && data.on)); },
      agent_typing: agentTyping,
      read: function (data) { markRead(data && data.up_to); },
      status: function (state) { if (!asked) showStatus(state); },
      chat_error: function (problem) {
        setTyping(false);
        showError(problem);
        if (signInRefused(problem)) askSession();  // the signed-out chat, without the refused token
        if (problem && problem.code === "unavailable") {  // the server could not start the session: ask again
          setTimeout(askSession, 5000);
        }
      }
    };

    function alive() {  // Engine.IO: the server pings every pingInterval; silence past that means a dead link
      clearTimeout(watchdog);
      if (aliveMs) watchdog = setTimeout(function () { lost(ws); }, aliveMs);
    }

    function lost(socket) {  // the connection dropped (closed, or silent past the ping timeout)
      if (socket !== ws || !socket) return;
      ws = null;
      socket.onclose = socket.onmessage = null;
      try { socket.close(); } catch (e) { /* already closed */ }
      clearTimeout(watchdog);
      ready = false;
      setTyping(false);
      if (closedByUs) return;
      if (!opened && retries >= 1) { onFail(); return; }
      setOffline(true);
      Array.prototype.forEach.call(log.querySelectorAll('.sc-from-user[data-receipt="sending"]'), function (item) {
        setReceipt(item, "pending");
      });
      retries += 1;
      clearTimeout(retryTimer);
      // 1, 2, 4, then every 5 s: a server that died is replaced within the conversation lock's
      // lifetime, so a longer wait would only add to the customer's (README, "stall budget")
      retryTimer = setTimeout(connect, Math.min(5000, 500 * Math.pow(2, retries)));
    }

    function connect() {
      clearTimeout(retryTimer);
      if (ws) return;
      var socket;
      try { socket = ws = new WebSocket(url); } catch (e) { ws = null; onFail(); return; }
      socket.onmessage = function (event) {
        var packet = String(event.data), type = packet.charAt(0);
        alive();
        if (type === "0") {                       // engine.io open
          try {
            var info = JSON.parse(packet.slice(1));
            aliveMs = (info.pingInterval || 25000) + (info.pingTimeout || 20000);
          } catch (e) { aliveMs = 0; }
          alive();
          socket.send("40");                      // socket.io connect, default namespace
        } else if (type === "2") {                // ping
          socket.send("3");
        } else if (type === "4") {                // socket.io packet
          var kind = packet.charAt(1), body = packet.slice(2);
          if (kind === "0") {                     // connected
            opened = true; retries = 0;
            setOffline(false);
            askSession();
          } else if (kind === "4") {              // connect refused
            closedByUs = true;
            showError(JSON.parse(body || "{}"));
            socket.close();
          } else if (kind === "2") {              // event, with an ack id when the server waits for one
            var parts = /^(\d*)([\s\S]*)$/.exec(body);
            var args = JSON.parse(parts[2]);
            var handler = handlers[args[0]];
            if (handler) handler(args[1]);
            if (parts[1]) socket.send("43" + parts[1] + "[]");
          } else if (kind === "3") {              // acknowledgement of one of our events
            var ack = /^(\d+)([\s\S]*)$/.exec(body), done = ack && acks[ack[1]];
            if (done) {
              delete acks[ack[1]];
              var answer = null;
              try { answer = JSON.parse(ack[2])[0]; } catch (e) { /* no payload */ }
              done(answer);
            }
          }
        }
      };
      socket.onclose = function () { lost(socket); };
    }

    // The browser knows it is offline before the socket does: say so now, and try again as soon as it is back.
    window.addEventListener("offline", function () { lost(ws); });
    window.addEventListener("online", function () { if (!ws && !closedByUs) connect(); });

    self.send = function (text, extra, messageId) {
      var data = { message: text, session_id: sessionId, message_id: messageId || newMessageId() };
      Object.keys(extra || {}).forEach(function (k) { data[k] = extra[k]; });
      if (ready && connected()) utter(data);
      else {
        unsent.push(data);
        setReceipt(ownMessage(data.message_id), "pending");
      }
    };
    self.refreshStatus = function () { emit("status_request", {}); };
    self.typing = function (on) { if (ready) emit("customer_typing", { on: on }); };  // for the agent's desk
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
      post("poll", { session_id: sessionId })  // the secret in the body, never in the URL (rev14b #5)
        .then(receive).catch(function () { /* next poll */ });
    }
    self.send = function (text, extra, messageId) {
      var body = { session_id: sessionId, message: text, customer_token: customerToken(),
        language: language, message_id: messageId || newMessageId() };
      Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
      setTyping(true);
      post("message", body).then(function (reply) {
        if (reply.received) acknowledged(body.message_id, reply.received.timestamp);
        receive(reply);
      }).catch(function () {
        showError(TEXT.offline);
        setReceipt(ownMessage(body.message_id), "failed");
        if (!input.value && !body.hidden) input.value = body.shown_as ? "" : text;  // typed text is not lost
      })
        .then(function () { setTyping(false); });
    };
    self.refreshStatus = poll;
    self.name = "rest";
    function askSession() {
      return post("session", { session_id: sessionId, customer_token: customerToken(), language: language })
        .then(function (reply) {  // a refused sign-in: the signed-out chat, asked again without the token
          if (reply.error) showError(reply.error);
          return reply.error && signInRefused(reply.error) ? askSession() : reply;
        });
    }
    askSession()
      .then(function (reply) {
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
    root.setAttribute("data-open", "");  // phones: the panel fills the screen, the launcher steps aside
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", TEXT.close);
    unread = 0; badge.hidden = true;
    start();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    root.removeAttribute("data-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", TEXT.open);
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
  // The customer typing, shown on the agent's desk while a person has the conversation (socket only):
  // "on" at most every TYPING_EVERY_MS while keys are pressed, "off" after a pause or a send.
  var TYPING_EVERY_MS = 2000, TYPING_PAUSE_MS = 3000, typingSentAt = 0, typingPause = null;
  function typingStopped() {
    clearTimeout(typingPause);
    if (typingSentAt && transport && transport.typing) transport.typing(false);
    typingSentAt = 0;
  }
  input.addEventListener("input", function () {
    if (!transport || !transport.typing || (currentState !== "queued" && currentState !== "with_agent")) return;
    if (!input.value.trim()) { typingStopped(); return; }
    clearTimeout(typingPause);
    typingPause = setTimeout(typingStopped, TYPING_PAUSE_MS);
    if (Date.now() - typingSentAt < TYPING_EVERY_MS) return;
    typingSentAt = Date.now();
    transport.typing(true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    typingStopped();
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
