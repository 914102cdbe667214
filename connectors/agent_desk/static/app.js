/*
 * Agent desk front-end: login, live queue, ticket panel, supervisor metrics.
 *
 * Plain ES2020, no framework, no build step. Every string that comes from the
 * server (customer text above all) reaches the page through textContent or
 * text nodes, never innerHTML: see el() and svg() in common.js, which are the
 * only ways this file builds DOM.
 */
(() => {
  'use strict';

  const API = '/agent/api';
  const QUEUE_POLL_MS = 2000;
  const TICKET_POLL_MS = 1500;
  const METRICS_POLL_MS = 5000;
  const RECENT_WAITS = 20;
  const STORAGE = { token: 'agentDesk.token', agent: 'agentDesk.agent', lang: 'agentDesk.lang' };
  const TERMINAL_STATES = new Set(['closed', 'abandoned']);

  /* ------------------------------------------------------------------ */
  /* UI strings                                                          */
  /* ------------------------------------------------------------------ */

  const STRINGS = {
    en: {
      'skip': 'Skip to content',
      'app.title': 'Agent desk',
      'nav.label': 'Views',
      'tab.queue': 'Queue',
      'tab.supervisor': 'Supervisor',
      'link.supervisor': 'Supervisor view',
      'logout': 'Log out',
      'lang.other': '中文',
      'login.title': 'Sign in to the agent desk',
      'login.username': 'User name',
      'login.password': 'Password',
      'login.submit': 'Log in',
      'login.wrong': 'Wrong user name or password',
      'login.missing': 'Enter your user name and password.',
      'login.failed': 'Login failed: {msg}',
      'login.throttled': 'Too many failed logins. Try again in {s} s.',
      'login.expired': 'Your session has ended. Please log in again.',
      'error.network': 'Cannot reach the server.',
      'connection.lost': 'Connection problem, retrying…',
      'notice.dismiss': 'Dismiss',
      'queue.title': 'Waiting customers',
      'queue.caption': 'Waiting tickets, most urgent first',
      'queue.empty': 'No customers are waiting.',
      'queue.count': '{n} waiting',
      'queue.breachedCount': '{n} past SLA',
      'col.priority': 'Priority',
      'col.reason': 'Reason',
      'col.language': 'Language',
      'col.channel': 'Channel',
      'col.waiting': 'Waiting',
      'col.summary': 'Summary',
      'col.action': 'Action',
      'claim': 'Claim',
      'claim.aria': 'Claim ticket {id}',
      'claim.ok': 'Ticket {id} is yours.',
      'claim.failed': 'Could not claim ticket {id}: {msg}',
      'sla.breached': 'SLA breached',
      'callback.asked': 'Callback, asked {wait} ago',
      'liveCall': '📞 Live call',
      'ticket.placeholder': 'Select a ticket in the queue to see its handoff packet, or claim it to start talking.',
      'ticket.title': 'Ticket',
      'ticket.dismiss': 'Hide',
      'ticket.loadFailed': 'Could not load ticket {id}: {msg}',
      'ticket.heldBy': 'Held by {name}',
      'ticket.heldByYou': 'Assigned to you',
      'ticket.unassigned': 'Not claimed yet',
      'ticket.neverClaimed': 'Ended without being claimed',
      'ticket.claimToReply': 'Claim this ticket to reply.',
      'ticket.liveCallNoTyping': 'The customer is on the phone with you: talk to them. A typed reply would not reach them.',
      'ticket.phoneNoTyping': 'A phone customer cannot read a typed reply: call them back on the number in the case.',
      'ticket.closedNoReply': 'This ticket is closed.',
      'ticket.otherHolder': 'Another agent holds this ticket.',
      'packet.case': 'Case',
      'packet.reason': 'Reason',
      'packet.priority': 'Priority',
      'packet.sla': 'SLA due',
      'packet.channel': 'Channel / language',
      'packet.created': 'Created',
      'packet.skills': 'Skills',
      'packet.intake': 'Intake',
      'packet.troubleshooting': 'Troubleshooting',
      'packet.noTroubleshooting': 'No troubleshooting flow was run.',
      'packet.flow': 'Flow: {flow}',
      'packet.stepsDone': 'Steps done',
      'packet.stepsFailed': 'Failed (the customer said it did not work)',
      'packet.failedTimes': '{step} ({n}×)',
      'packet.nextStep': 'Next step',
      'packet.noSteps': 'None yet',
      'packet.emotion': 'Emotion',
      'packet.emotionHistory': 'Mood over the conversation (probability of anger or frustration): {values}',
      'packet.customer': 'Customer',
      'packet.anonymous': 'Anonymous customer',
      'packet.noIdentities': 'No verified identities',
      'verification.token': 'Verified: signed in on the website',
      'verification.platform': 'Verified: WeChat account or caller id',
      'verification.order_contact': 'Verified: one-time code to the order e-mail/phone',
      'verification.none': 'Not verified: what the customer says is unconfirmed',
      'packet.related': 'Tickets of this conversation',
      'packet.noRelated': 'No other tickets.',
      'packet.current': '(this one)',
      'intake.order_number': 'Order number',
      'intake.email': 'Email',
      'intake.phone': 'Phone',
      'intake.topic': 'Topic',
      'intake.callback_time': 'Call at',
      'priority.label': 'P{n}',
      'sla.dueIn': 'in {t}',
      'sla.overdue': '{t} overdue',
      'sla.met': 'met',
      'sla.missed': 'missed by {t}',
      'transcript.title': 'Conversation',
      'transcript.empty': 'No messages yet.',
      'transcript.customerTyping': 'Customer is typing…',
      'delivery.at_most_once': 'sent, not confirmed',
      'delivery.at_most_once.title': "The customer's chat widget cannot confirm receipt; it was sent once.",
      'from.customer': 'Customer',
      'from.bot': 'Bot',
      'from.agent': 'Agent',
      'reply.label': 'Reply to the customer',
      'reply.hint': 'Enter sends, Shift+Enter adds a line.',
      'reply.send': 'Send',
      'reply.failed': 'Message not sent: {msg}',
      'reply.unsure': 'The message may not have been sent ({msg}). Press Send again: it will not be sent twice.',
      'photo.send': 'Send a photo',
      'photo.alt': 'Photo from the {from} ({type}, {kb} KB), opens full size',
      'photo.failed': 'Photo not sent: {msg}',
      'photo.loading': 'Loading photo…',
      'photo.channel': 'Photos cannot be sent on this channel',
      // a refused photo by the server's code (rev14c #3); unknown codes: the server's message
      'photo.code.too_large': 'The photo is too large (over the size limit). Please send a smaller one.',
      'photo.code.too_many_pixels': 'The photo has too many pixels. Please send a smaller one.',
      'photo.code.too_many_scans': 'This JPEG is saved in a way that cannot be checked (too many scans). Send a screenshot of it, or save it again as an ordinary JPEG.',
      'photo.code.too_complex': 'This photo takes too long to check. Send a smaller photo, or a screenshot of it.',
      'photo.code.not_an_image': 'Only PNG, JPEG, WebP or GIF pictures can be sent (checked by content, not by file name).',
      'photo.code.empty': 'The file is empty.',
      'photo.code.busy': 'Many photos are being checked right now. Please try again in a minute.',
      'photo.code.checks_in_flight': 'Your previous photo is still being checked. Wait until it is sent, then try again.',
      'close.label': 'Disposition',
      'close.submit': 'Close ticket',
      'close.ok': 'Ticket {id} closed ({disposition}).',
      'close.failed': 'Could not close ticket {id}: {msg}',
      'disposition.resolved': 'Resolved',
      'disposition.follow_up': 'Follow-up needed',
      'disposition.no_response': 'No response',
      'disposition.transferred': 'Transferred',
      'state.bot': 'With bot',
      'state.queued': 'Queued',
      'state.with_agent': 'With agent',
      'state.closed': 'Closed',
      'state.abandoned': 'Abandoned',
      'state.callback': 'Callback',
      'role.agent': 'Agent',
      'role.supervisor': 'Supervisor',
      'sup.title': 'Supervisor dashboard',
      'sup.containment': 'Containment rate',
      'sup.escalations': 'Escalations',
      'sup.waiting': 'Waiting now',
      'sup.avgWait': 'Average wait',
      'sup.abandoned': 'Abandoned',
      'sup.csat': 'CSAT',
      'sup.csatCount': '({n} ratings)',
      'sup.chartReasons': 'Escalations by reason',
      'sup.chartWaits': 'Waits of recent tickets (seconds)',
      'sup.noData': 'No data yet',
      'sup.updated': 'Updated {time}',
      'sup.failed': 'Could not load metrics: {msg}',
      'reason.customer_request': 'Asked for a person',
      'reason.negative_emotion': 'Upset customer',
      'reason.complex_intent': 'Complex case',
      'reason.flow_exhausted': 'Troubleshooting did not fix it',
      'reason.nlu_failure': 'Bot did not understand',
      'reason.no_input': 'Caller silent or not understood',
      'reason.system_error': 'Bot error',
      'channel.web': 'Web chat',
      'channel.wechat': 'WeChat',
      'channel.ivr': 'Phone',
      'channel.rest': 'API',
      'language.en': 'English',
      'language.zh': 'Chinese',
      'emotion.anger': 'Angry',
      'emotion.frustration': 'Frustrated',
      'emotion.sadness': 'Sad',
      'emotion.neutral': 'Calm',
      'emotion.joy': 'Happy',
      'emotion.positive': 'Positive',
      'emotion.negative': 'Negative',
      'tags.label': 'Tags',
      'tag.mood': 'Emotion: {mood}',
      'tag.order': 'Order {order}',
      'mine.title': 'My tickets',
      'mine.empty': 'You hold no tickets.',
      'mine.count': '{n} open',
      'alerts.enable': 'Turn on alerts',
      'alerts.on': 'Alerts on',
      'alerts.blocked': 'Alerts blocked by the browser',
      'alerts.newTicket': 'New ticket in your skills: {reason} ({language}, {channel})',
      'alerts.title': 'New ticket {id}',
      'canned.label': 'Canned reply',
      'canned.language': 'Language',
      'canned.insert': 'Insert',
      'canned.none': 'No canned replies',
      'cannedAdmin.title': 'Edit canned replies',
      'cannedAdmin.titleField': 'Title',
      'cannedAdmin.textField': 'Text',
      'cannedAdmin.new': 'New',
      'cannedAdmin.save': 'Save',
      'cannedAdmin.edit': 'Edit',
      'cannedAdmin.delete': 'Delete',
      'cannedAdmin.saved': 'Canned reply saved.',
      'cannedAdmin.deleted': 'Canned reply deleted.',
      'cannedAdmin.failed': 'Could not save the canned reply: {msg}',
      'transfer.label': 'Transfer to',
      'transfer.submit': 'Transfer',
      'transfer.agents': 'Agents',
      'transfer.skills': 'Skill queues',
      'transfer.skill': 'Queue: {skill}',
      'transfer.online': '(online)',
      'transfer.ok': 'Ticket {id} transferred.',
      'transfer.failed': 'Could not transfer ticket {id}: {msg}',
      'notes.title': 'Internal notes (the customer never sees these)',
      'notes.label': 'Add an internal note',
      'notes.placeholder': 'Add an internal note',
      'notes.add': 'Add note',
      'notes.empty': 'No notes yet.',
      'notes.failed': 'Could not add the note: {msg}',
      'history.title': 'History',
      'history.created': 'Created',
      'history.claimed': 'Claimed by {by}',
      'history.transferredAgent': '{by} transferred it to {to}',
      'history.transferredSkill': '{by} sent it back to the {to} queue',
      'history.closed': 'Closed by {by}',
      'history.callbackNumber': 'Call-back on {phone}',
      'history.continued': 'The customer continued on {to}; replies go there',
      'history.callEnded': 'The caller hung up',
      'history.other': '{kind}',
      'filters.label': 'Find tickets in the queue',
      'filters.q': 'Search: order number, phone, e-mail or text',
      'filters.anyChannel': 'All channels',
      'filters.anyLanguage': 'All languages',
      'filters.assigned': 'Assigned',
      'filters.assigned.none': 'Unassigned (waiting)',
      'filters.assigned.me': 'Mine',
      'filters.assigned.any': 'Any open ticket',
      'filters.clear': 'Clear filters',
      'filters.count': '{n} tickets match',
      'filters.count.one': '1 ticket matches',
      'filters.none': 'No tickets match these filters.',
      'past.title': 'Search past tickets',
      'past.q': 'Order number, phone, e-mail, ticket id or text',
      'past.submit': 'Search',
      'past.searching': 'Searching…',
      'past.needQuery': 'Type an order number, phone, e-mail, ticket id or text.',
      'past.count': '{n} tickets found',
      'past.count.one': '1 ticket found',
      'past.countMore': '{shown} of {n} tickets shown, newest first',
      'past.none': 'No tickets match “{q}”.',
      'past.failed': 'Search failed: {msg}',
      'past.open': 'Open ticket {id}',
      // issue 14, the desk read in five seconds: codes in the packet as words
      'intent.affirm': 'yes', 'intent.deny': 'no', 'intent.billing_dispute': 'billing dispute',
      'intent.bot_challenge': 'asked if it is a bot', 'intent.change_address': 'change the address',
      'intent.check_order_status': 'order status', 'intent.complain': 'complaint', 'intent.faq': 'question (FAQ)',
      'intent.goodbye': 'goodbye', 'intent.greet': 'greeting', 'intent.inform': 'gave details',
      'intent.nlu_fallback': 'not understood', 'intent.out_of_scope': 'out of scope', 'intent.report_fraud': 'fraud report',
      'intent.request_human': 'asked for a person', 'intent.reset_password': 'password reset', 'intent.thank': 'thanks',
      'topic.orders': 'Orders', 'topic.account': 'Account', 'topic.billing': 'Billing', 'topic.security': 'Security',
      'topic.complaints': 'Complaints',
      'flow.password_reset': 'Password reset',
      'step.password_reset.1': "open 'Forgot password?'", 'step.password_reset.2': 'request the reset link',
      'step.password_reset.3': 'open the e-mail link', 'step.password_reset.4': 'set a new password',
      'detail.intent': 'intent: {intent}',
      'detail.askedForPerson': 'asked for a person (intent: {intent})',
      'detail.acceptedOffer': 'accepted the offer of a person',
      'detail.emotionTurn': '{emotion} {score} on turn {n}',
      'detail.negativeRun': 'negative on {n} turns running ({scores})',
      'detail.moodRising': 'mood rising to {score} over {n} turns',
      'detail.actionDown': 'the bot could not run a step ({action})',
      'detail.keypadTwice': 'spoken identifiers not understood, keypad offered twice',
      'detail.noInput': 'caller silent or not understood past the IVR retry limit',
      'detail.twoFallbacks': 'not understood twice in a row; last message: “{text}”',
      'detail.nFallbacks': 'not understood {n} times in a row; last message: “{text}”',
      'detail.flowStepFailed': '{flow}: step {step} failed twice',
      'detail.cameBack': 'came back after ticket {id} was abandoned',
      'identity.phone': 'Phone number', 'identity.email': 'E-mail', 'identity.rest_sender': 'API sender',
      'identity.ivr_call': 'Phone call', 'identity.web_session': 'Web chat session',
      'history.csat': 'Customer rated the service',
      'history.delivery_failed': 'A message could not be delivered',
      'error.http': '{msg}',
    },
    zh: {
      'skip': '跳到内容',
      'app.title': '坐席工作台',
      'nav.label': '视图',
      'tab.queue': '队列',
      'tab.supervisor': '主管',
      'link.supervisor': '主管看板',
      'logout': '退出登录',
      'lang.other': 'English',
      'login.title': '登录坐席工作台',
      'login.username': '用户名',
      'login.password': '密码',
      'login.submit': '登录',
      'login.wrong': '用户名或密码错误',
      'login.missing': '请输入用户名和密码。',
      'login.failed': '登录失败：{msg}',
      'login.throttled': '登录失败次数过多，请 {s} 秒后再试。',
      'login.expired': '会话已结束，请重新登录。',
      'error.network': '无法连接服务器。',
      'connection.lost': '连接出现问题，正在重试…',
      'notice.dismiss': '关闭提示',
      'queue.title': '等待中的客户',
      'queue.caption': '等待中的工单，最紧急的在前',
      'queue.empty': '目前没有等待的客户。',
      'queue.count': '{n} 位等待中',
      'queue.breachedCount': '{n} 个已超时',
      'col.priority': '优先级',
      'col.reason': '原因',
      'col.language': '语言',
      'col.channel': '渠道',
      'col.waiting': '等待时长',
      'col.summary': '摘要',
      'col.action': '操作',
      'claim': '接单',
      'claim.aria': '接单 {id}',
      'claim.ok': '工单 {id} 已分配给你。',
      'claim.failed': '无法接单 {id}：{msg}',
      'sla.breached': '已超出响应时限',
      'callback.asked': '待回电（客户 {wait} 前要求）',
      'liveCall': '📞 通话中',
      'ticket.placeholder': '在队列中选择一个工单查看交接信息，或接单后开始对话。',
      'ticket.title': '工单',
      'ticket.dismiss': '收起',
      'ticket.loadFailed': '无法加载工单 {id}：{msg}',
      'ticket.heldBy': '由 {name} 处理',
      'ticket.heldByYou': '已分配给你',
      'ticket.unassigned': '尚未接单',
      'ticket.neverClaimed': '未经接单即已结束',
      'ticket.claimToReply': '接单后才能回复。',
      'ticket.liveCallNoTyping': '客户正在电话上：请直接与客户通话。打字回复客户听不到。',
      'ticket.phoneNoTyping': '电话客户看不到打字回复：请按工单中的号码回电。',
      'ticket.closedNoReply': '该工单已关闭。',
      'ticket.otherHolder': '该工单由其他坐席处理。',
      'packet.case': '案件',
      'packet.reason': '原因',
      'packet.priority': '优先级',
      'packet.sla': '响应时限',
      'packet.channel': '渠道 / 语言',
      'packet.created': '创建时间',
      'packet.skills': '技能',
      'packet.intake': '已收集信息',
      'packet.troubleshooting': '故障排查',
      'packet.noTroubleshooting': '未进行故障排查。',
      'packet.flow': '流程：{flow}',
      'packet.stepsDone': '已完成步骤',
      'packet.stepsFailed': '未成功（客户说不行）',
      'packet.failedTimes': '{step}（{n} 次）',
      'packet.nextStep': '下一步',
      'packet.noSteps': '暂无',
      'packet.emotion': '情绪',
      'packet.emotionHistory': '对话中的情绪（生气或沮丧的概率）：{values}',
      'packet.customer': '客户',
      'packet.anonymous': '匿名客户',
      'packet.noIdentities': '无已验证身份',
      'verification.token': '已验证：网站登录',
      'verification.platform': '已验证：微信账号或来电号码',
      'verification.order_contact': '已验证：订单邮箱/手机验证码',
      'verification.none': '未验证：客户所述信息未经确认',
      'packet.related': '该对话的工单',
      'packet.noRelated': '没有其他工单。',
      'packet.current': '（当前）',
      'intake.order_number': '订单号',
      'intake.email': '邮箱',
      'intake.phone': '电话',
      'intake.topic': '主题',
      'intake.callback_time': '回电时间',
      'priority.label': '{n} 级',
      'sla.dueIn': '剩余 {t}',
      'sla.overdue': '已超时 {t}',
      'sla.met': '已达成',
      'sla.missed': '超时 {t}',
      'transcript.title': '对话记录',
      'transcript.empty': '暂无消息。',
      'transcript.customerTyping': '客户正在输入…',
      'delivery.at_most_once': '已发送，未确认',
      'delivery.at_most_once.title': '客户的聊天插件无法确认收到；消息已发送一次。',
      'from.customer': '客户',
      'from.bot': '机器人',
      'from.agent': '坐席',
      'reply.label': '回复客户',
      'reply.hint': '按回车键发送，按住上档键再按回车键换行。',
      'reply.send': '发送',
      'reply.failed': '消息未发送：{msg}',
      'reply.unsure': '消息可能未发出（{msg}）。请再次点击发送：不会重复发送。',
      'photo.send': '上传图片',
      'photo.alt': '{from}发送的图片（{type}，{kb} KB），点击查看原图',
      'photo.failed': '图片未发送：{msg}',
      'photo.loading': '正在加载图片…',
      'photo.channel': '此渠道无法发送图片',
      'photo.refused.400': '上传的文件是空的。',
      'photo.refused.413': '图片太大（超过大小或像素上限），请发送较小的图片。',
      'photo.refused.415': '只能发送 PNG、JPEG、WebP 或 GIF 图片（按内容检查，而非文件名）。',
      'photo.refused.422': '此渠道的客户无法查看图片（如电话、接口），请用文字说明或发送链接。',
      'photo.refused.503': '现在需要检查的图片较多，请稍后再试。',
      'photo.code.too_large': '图片太大（超过大小上限），请发送较小的图片。',
      'photo.code.too_many_pixels': '图片像素过多，请发送较小的图片。',
      'photo.code.too_many_scans': '这张 JPEG 图片的保存方式无法检查（扫描次数过多）。请截图后发送，或另存为普通 JPEG 图片。',
      'photo.code.too_complex': '这张图片检查耗时过长。请发送较小的图片，或截图后发送。',
      'photo.code.not_an_image': '只能发送 PNG、JPEG、WebP 或 GIF 图片（按内容检查，而非文件名）。',
      'photo.code.empty': '上传的文件是空的。',
      'photo.code.busy': '现在需要检查的图片较多，请一分钟后再试。',
      'photo.code.checks_in_flight': '您上一张图片还在检查中，请等它发送后再试。',
      'close.label': '处理结果',
      'close.submit': '关闭工单',
      'close.ok': '工单 {id} 已关闭（{disposition}）。',
      'close.failed': '无法关闭工单 {id}：{msg}',
      'disposition.resolved': '已解决',
      'disposition.follow_up': '需跟进',
      'disposition.no_response': '客户无回应',
      'disposition.transferred': '已转接',
      'state.bot': '机器人服务中',
      'state.queued': '排队中',
      'state.with_agent': '人工服务中',
      'state.closed': '已关闭',
      'state.abandoned': '已放弃',
      'state.callback': '待回电',
      'role.agent': '坐席',
      'role.supervisor': '主管',
      'sup.title': '主管看板',
      'sup.containment': '机器人解决率',
      'sup.escalations': '转人工次数',
      'sup.waiting': '当前等待',
      'sup.avgWait': '平均等待',
      'sup.abandoned': '已放弃',
      'sup.csat': '满意度',
      'sup.csatCount': '（{n} 个评分）',
      'sup.chartReasons': '按原因统计的转人工',
      'sup.chartWaits': '近期工单等待时长（秒）',
      'sup.noData': '暂无数据',
      'sup.updated': '更新于 {time}',
      'sup.failed': '无法加载指标：{msg}',
      'reason.customer_request': '客户要求转人工',
      'reason.negative_emotion': '客户情绪不佳',
      'reason.complex_intent': '复杂问题',
      'reason.flow_exhausted': '排查步骤未能解决',
      'reason.nlu_failure': '机器人未能理解',
      'reason.no_input': '来电无应答或无法识别',
      'reason.system_error': '机器人出错',
      'channel.web': '网页聊天',
      'channel.wechat': '微信',
      'channel.ivr': '电话',
      'channel.rest': '接口',
      'language.en': '英文',
      'language.zh': '中文',
      'emotion.anger': '生气',
      'emotion.frustration': '沮丧',
      'emotion.sadness': '难过',
      'emotion.neutral': '平静',
      'emotion.joy': '高兴',
      'emotion.positive': '积极',
      'emotion.negative': '负面',
      'tags.label': '标签',
      'tag.mood': '情绪类别：{mood}',
      'tag.order': '订单 {order}',
      'mine.title': '我的工单',
      'mine.empty': '你目前没有处理中的工单。',
      'mine.count': '{n} 个处理中',
      'alerts.enable': '开启提醒',
      'alerts.on': '提醒已开启',
      'alerts.blocked': '浏览器已阻止提醒',
      'alerts.newTicket': '你的技能范围内有新工单：{reason}（{language}，{channel}）',
      'alerts.title': '新工单 {id}',
      'canned.label': '快捷回复',
      'canned.language': '语言',
      'canned.insert': '插入',
      'canned.none': '暂无快捷回复',
      'cannedAdmin.title': '编辑快捷回复',
      'cannedAdmin.titleField': '标题',
      'cannedAdmin.textField': '内容',
      'cannedAdmin.new': '新建',
      'cannedAdmin.save': '保存',
      'cannedAdmin.edit': '编辑',
      'cannedAdmin.delete': '删除',
      'cannedAdmin.saved': '快捷回复已保存。',
      'cannedAdmin.deleted': '快捷回复已删除。',
      'cannedAdmin.failed': '无法保存快捷回复：{msg}',
      'transfer.label': '转接给',
      'transfer.submit': '转接',
      'transfer.agents': '坐席',
      'transfer.skills': '技能队列',
      'transfer.skill': '队列：{skill}',
      'transfer.online': '（在线）',
      'transfer.ok': '工单 {id} 已转接。',
      'transfer.failed': '无法转接工单 {id}：{msg}',
      'notes.title': '内部备注（客户看不到）',
      'notes.label': '添加内部备注',
      'notes.placeholder': '添加内部备注',
      'notes.add': '添加备注',
      'notes.empty': '暂无备注。',
      'notes.failed': '无法添加备注：{msg}',
      'history.title': '处理记录',
      'history.created': '已创建',
      'history.claimed': '{by} 已接单',
      'history.transferredAgent': '{by} 转接给 {to}',
      'history.transferredSkill': '{by} 转回 {to} 队列',
      'history.closed': '{by} 已关闭',
      'history.callbackNumber': '回拨号码 {phone}',
      'history.continued': '客户转到{to}继续，回复将发送到那里',
      'history.callEnded': '客户已挂断电话',
      'history.other': '{kind}',
      'filters.label': '在队列中查找工单',
      'filters.q': '搜索：订单号、电话、邮箱或文字',
      'filters.anyChannel': '全部渠道',
      'filters.anyLanguage': '全部语言',
      'filters.assigned': '分配',
      'filters.assigned.none': '未分配（等待中）',
      'filters.assigned.me': '我的',
      'filters.assigned.any': '全部未关闭工单',
      'filters.clear': '清除筛选',
      'filters.count': '{n} 个工单符合条件',
      'filters.count.one': '1 个工单符合条件',
      'filters.none': '没有符合筛选条件的工单。',
      'past.title': '搜索历史工单',
      'past.q': '订单号、电话、邮箱、工单号或文字',
      'past.submit': '搜索',
      'past.searching': '正在搜索…',
      'past.needQuery': '请输入订单号、电话、邮箱、工单号或文字。',
      'past.count': '找到 {n} 个工单',
      'past.count.one': '找到 1 个工单',
      'past.countMore': '显示 {n} 个中的 {shown} 个，最新的在前',
      'past.none': '没有与“{q}”匹配的工单。',
      'past.failed': '搜索失败：{msg}',
      'past.open': '打开工单 {id}',
      'intent.affirm': '肯定', 'intent.deny': '否定', 'intent.billing_dispute': '账单争议',
      'intent.bot_challenge': '询问是否机器人', 'intent.change_address': '修改地址',
      'intent.check_order_status': '查询订单', 'intent.complain': '投诉', 'intent.faq': '常见问题',
      'intent.goodbye': '告别', 'intent.greet': '问候', 'intent.inform': '提供信息',
      'intent.nlu_fallback': '未能理解', 'intent.out_of_scope': '超出服务范围', 'intent.report_fraud': '举报欺诈',
      'intent.request_human': '要求人工', 'intent.reset_password': '重置密码', 'intent.thank': '致谢',
      'topic.orders': '订单', 'topic.account': '账户', 'topic.billing': '账单', 'topic.security': '安全',
      'topic.complaints': '投诉',
      'flow.password_reset': '密码重置',
      'step.password_reset.1': '打开“忘记密码”', 'step.password_reset.2': '申请重置链接',
      'step.password_reset.3': '打开邮件中的链接', 'step.password_reset.4': '设置新密码',
      'detail.intent': '意图：{intent}',
      'detail.askedForPerson': '明确要求人工（意图：{intent}）',
      'detail.acceptedOffer': '接受了转人工的提议',
      'detail.emotionTurn': '第 {n} 条消息：{emotion} {score}',
      'detail.negativeRun': '连续 {n} 条消息情绪负面（{scores}）',
      'detail.moodRising': '{n} 条消息内情绪升至 {score}',
      'detail.actionDown': '机器人某个步骤无法执行（动作服务不可用）',
      'detail.keypadTwice': '语音中的编号未能识别，已两次改用按键输入',
      'detail.noInput': '来电者多次无应答或无法识别，超过重试上限',
      'detail.twoFallbacks': '连续两次未能理解；最后一句：“{text}”',
      'detail.nFallbacks': '连续{n}次未能理解；最后一句：“{text}”',
      'detail.flowStepFailed': '{flow}：第 {step} 步两次未成功',
      'detail.cameBack': '工单 {id} 被放弃后客户又回来了',
      'identity.phone': '手机号', 'identity.email': '邮箱', 'identity.rest_sender': '接口发送方',
      'identity.ivr_call': '电话来电', 'identity.web_session': '网页聊天会话',
      'history.csat': '客户已评分',
      'history.delivery_failed': '有消息未能送达',
      'error.http': '服务器拒绝了请求（{status}）',
      'error.http.400': '请求被拒绝：内容不符合要求',
      'error.http.403': '没有权限执行此操作',
      'error.http.404': '找不到该工单或对象',
      'error.http.409': '工单状态已变化（可能已被他人接单、转接或关闭），请刷新后再试',
      'error.http.413': '内容过长',
      'error.http.429': '请求过于频繁，请稍后再试',
      'error.http.5xx': '服务器出错，请稍后再试',
    },
  };

  /* ------------------------------------------------------------------ */
  /* State                                                               */
  /* ------------------------------------------------------------------ */

  const state = {
    lang: 'en',
    token: null,
    agent: null,
    view: 'queue',
    queue: [],
    queueRows: new Map(),      // ticket_id -> <tr>
    queuePath: '/queue',       // the API path of the queue shown (with the filters)
    announcedPath: '/queue',   // the filters whose result count was last announced
    past: null,                // the last search of past tickets: {q, items, total}
    ticketId: null,
    ticketSeq: 0,              // bumped per ticket request; stale answers are dropped
    ticket: null,              // last GET /tickets/{id} answer
    packetKey: '',             // JSON of the rendered packet, to skip re-renders
    transcriptKeys: [],        // keys of rendered transcript items
    related: [],
    metrics: null,
    pollers: {},
    replyDraft: null,          // {ticketId, text, id}: a reply whose send failed without an answer
  };

  const $ = (id) => document.getElementById(id);

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  // Shared with the supervisor view (common.js): DOM building, translation, the API client.
  const { el, svg, appendChildren, translator, ApiError, apiClient, readJson, errorMessage, mountLogin } = window.DeskCommon;

  /** Translate a key; {name} placeholders are filled from vars. */
  const t = translator(STRINGS, () => state.lang);

  /** Translate a server value (state, channel…) when we know it, else show it raw. */
  function label(prefix, value) {
    if (value === null || value === undefined || value === '') return '—';
    const key = `${prefix}.${value}`;
    const table = STRINGS[state.lang] || STRINGS.en;
    return table[key] ?? STRINGS.en[key] ?? String(value);
  }

  /** Seconds as m:ss (minutes keep counting past 60). */
  function formatWait(seconds) {
    const s = Math.max(0, Math.floor(Number(seconds) || 0));
    const pad = (n) => String(n).padStart(2, '0');
    // an hour or more as h:mm:ss (a call-back due tomorrow morning read "in 662:02")
    if (s >= 3600) return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
    return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  }

  function parseDate(value) {
    if (!value) return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function locale() {
    return state.lang === 'zh' ? 'zh-CN' : 'en-GB';
  }

  function formatTime(value) {
    const date = parseDate(value);
    if (!date) return value ? String(value) : '—';
    return date.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function formatDateTime(value) {
    const date = parseDate(value);
    if (!date) return value ? String(value) : '—';
    return date.toLocaleString(locale(), {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  }

  /** "12:04:10 (in 0:35)", "12:04:10 (1:20 overdue)", or with the date when not today ("02/12/2026, 09:05:00 (in 11:02:02)"). */
  function formatDue(value) {
    const date = parseDate(value);
    if (!date) return value ? String(value) : '—';
    const delta = Math.round((date.getTime() - Date.now()) / 1000);
    const relative = delta >= 0
      ? t('sla.dueIn', { t: formatWait(delta) })
      : t('sla.overdue', { t: formatWait(-delta) });
    // not today (an out-of-hours call-back due when support hours open): the date too
    const shown = date.toDateString() === new Date().toDateString() ? formatTime(value) : formatDateTime(value);
    return `${shown} (${relative})`;
  }

  /**
   * The SLA line of a ticket no longer waiting (claimed, closed): its clock stopped when the wait ended, so
   * "met" or "missed by 1:20" (the server's sla_missed_by_s), never an overdue count that keeps rising
   * (a fresh new user, session 45: a closed ticket answered in time showed "0:39 overdue", later "14:25").
   */
  function formatDueAfterWait(value, missedByS) {
    const due = parseDate(value);
    if (!due || typeof missedByS !== 'number') return formatDue(value);
    const shown = due.toDateString() === new Date().toDateString() ? formatTime(value) : formatDateTime(value);
    return `${shown} (${missedByS > 0 ? t('sla.missed', { t: formatWait(missedByS) }) : t('sla.met')})`;
  }

  function isOverdue(value) {
    const date = parseDate(value);
    return Boolean(date) && date.getTime() < Date.now();
  }

  function reasonCode(reason) {
    if (reason && typeof reason === 'object') return reason.code || '—';
    return reason ? String(reason) : '—';
  }

  function reasonDetail(reason) {
    return reason && typeof reason === 'object' && reason.detail ? detailText(reason.detail) : '';
  }

  function priorityClass(priority) {
    const n = Number(priority);
    return `priority priority-${Number.isFinite(n) ? Math.min(Math.max(Math.round(n), 1), 5) : 'x'}`;
  }

  function isBlank(value) {
    return value === null || value === undefined || value === '';
  }

  /* ------------------------------------------------------------------ */
  /* Reading the packet: human labels, one channel name, safe markdown   */
  /* ------------------------------------------------------------------ */

  // Rasa's input channel names of a packet channel (bot/domain.py Channel): shown as one name.
  const CHANNEL_ALIASES = { webchat: 'web', socketio: 'web' };

  /** The channel's one human name ("Web chat" / "网页聊天"), whatever name the server used. */
  function channelName(value) {
    if (isBlank(value)) return '—';
    const name = String(value).toLowerCase();
    return label('channel', CHANNEL_ALIASES[name] || name);
  }

  /** "Asked for a person" for customer_request, in the desk's language; unknown codes as they are. */
  function reasonLabel(reason) {
    const code = reasonCode(reason);
    return code === '—' ? code : label('reason', code);
  }

  function languageName(value) {
    return label('language', value);
  }

  /** A skill (a language or a topic of escalation.yml) as a word: "Chinese", "Orders" / "中文", "订单". */
  function skillName(skill) {
    const table = STRINGS[state.lang] || STRINGS.en;
    return table[`language.${skill}`] !== undefined ? label('language', skill) : label('topic', skill);
  }

  /** Whether the desk's table (or the English one) has ``key``. */
  function known(key) {
    return (STRINGS[state.lang] || STRINGS.en)[key] !== undefined || STRINGS.en[key] !== undefined;
  }

  function intentName(intent) {
    return known(`intent.${intent}`) ? label('intent', intent) : String(intent);
  }

  function moodScores(text) {  // "anger 0.80, frustration 0.70" -> the labels in the desk's language
    return String(text).replace(/([a-z_]+) (\d+(?:\.\d+)?)/g, (m, mood, score) => `${label('emotion', mood)} ${score}`);
  }

  // The trigger details the server writes (bot/handover/policy.py, actions, the IVR bridge), in the desk's
  // language; a detail not listed here is shown as it is.
  const DETAILS = [
    [/^intent (\w+)$/, (m) => t('detail.intent', { intent: intentName(m[1]) })],
    [/^asked for a person \(intent (\w+)\)$/, (m) => t('detail.askedForPerson', { intent: intentName(m[1]) })],
    [/^accepted the offer of a person$/, () => t('detail.acceptedOffer')],
    [/^([a-z_]+) (\d+(?:\.\d+)?) on turn (\d+)$/,
      (m) => t('detail.emotionTurn', { emotion: label('emotion', m[1]), score: m[2], n: m[3] })],
    [/^negative on (\d+) turns running \((.*)\)$/, (m) => t('detail.negativeRun', { n: m[1], scores: moodScores(m[2]) })],
    [/^mood rising to (\d+(?:\.\d+)?) over (\d+) turns$/, (m) => t('detail.moodRising', { score: m[1], n: m[2] })],
    [/^action (\S+) unavailable$/, (m) => t('detail.actionDown', { action: m[1] })],
    [/^spoken identifiers not understood, keypad offered twice$/, () => t('detail.keypadTwice')],
    [/^caller silent or not understood past the IVR retry limit$/, () => t('detail.noInput')],
    [/^two fallbacks in a row; last message: ([\s\S]*)$/, (m) => t('detail.twoFallbacks', { text: m[1] })],
    [/^(\d+) fallbacks in a row; last message: ([\s\S]*)$/, (m) => t('detail.nFallbacks', { n: m[1], text: m[2] })],
    [/^(\w+): step (\d+) failed twice$/, (m) => t('detail.flowStepFailed', { flow: label('flow', m[1]), step: m[2] })],
    [/^came back after ticket (\S+) was abandoned$/, (m) => t('detail.cameBack', { id: m[1] })],
  ];

  /** A trigger's detail ("anger 0.93 on turn 3") in the desk's language ("第 3 条消息：生气 0.93"). */
  function detailText(detail) {
    const text = String(detail);
    for (const [pattern, render] of DETAILS) {
      const m = text.match(pattern);
      if (m) return render(m);
    }
    return text;
  }

  /** A troubleshooting step of ``flow`` ("2. request the reset link") in the desk's language, unnumbered. */
  function stepLabel(flow, step) {
    const n = String(displayValue(step)).match(/^\s*(\d+)\s*[.)]/);
    const key = n && `step.${flow}.${n[1]}`;
    return key && known(key) ? t(key) : stepText(step);
  }

  /** A troubleshooting step without the number it may carry ("2. Restart" -> "Restart"): the list numbers it. */
  function stepText(step) {
    return displayValue(step)
      .replace(/^\s*(?:step\s*)?\d+\s*[.):：、]\s*/i, '')
      .replace(/^\s*第\s*\d+\s*步\s*[:：、]?\s*/, '');
  }

  const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
  const INLINE_MD = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  // A backslash-escaped character (CommonMark; the server escapes every value the bot echoes, bot/nlg.py,
  // so a customer's "[text](https://…)" echoed in a bot line is never a link) is kept aside as a
  // private-use character while the marks are read, then shown as itself.
  const ESCAPED = /\\([!-\/:-@[-`{-~])/g;
  const KEPT = /[\uE000-\uE07F]/g;
  const keepEscaped = (text) => text.replace(ESCAPED, (m, c) => String.fromCharCode(0xE000 + c.charCodeAt(0)));
  const giveBack = (text) => text.replace(KEPT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xE000));

  /** Inline markdown (`code`, **bold**, *em*, [text](https://…)) of a line whose escapes are kept aside
   * (keepEscaped) as nodes and text; anything else stays text. */
  function inlineMarkdown(text) {
    const out = [];
    let last = 0;
    INLINE_MD.lastIndex = 0;
    for (let m = INLINE_MD.exec(text); m; m = INLINE_MD.exec(text)) {
      if (m.index > last) out.push(giveBack(text.slice(last, m.index)));
      if (m[1] !== undefined) out.push(el('code', {}, giveBack(m[1])));
      else if (m[2] !== undefined) out.push(el('strong', {}, giveBack(m[2])));
      else if (m[3] !== undefined) out.push(el('em', {}, giveBack(m[3])));
      else if (SAFE_LINK.test(m[5])) {
        out.push(el('a', { href: giveBack(m[5]), target: '_blank', rel: 'noopener noreferrer' }, giveBack(m[4])));
      } else out.push(giveBack(m[0]));
      last = INLINE_MD.lastIndex;
    }
    if (last < text.length) out.push(giveBack(text.slice(last)));
    return out;
  }

  /**
   * The bot's and agents' markdown (paragraphs, line breaks, - and 1. lists, inline marks) as DOM
   * nodes built with el(): text stays text, only http(s)/mailto links become links, and a
   * backslash-escaped character is that character, never a mark.
   */
  function renderMarkdown(text) {
    const nodes = [];
    let list = null;
    let para = null;
    for (const line of keepEscaped(String(text ?? '')).split(/\r?\n/)) {
      const bullet = line.match(/^\s*[-*•]\s+(.*)$/);
      const numbered = line.match(/^\s*(\d+)[.)]\s+(.*)$/);
      if (bullet || numbered) {
        const type = bullet ? 'ul' : 'ol';
        if (!list || list.tagName.toLowerCase() !== type) {
          list = el(type, { class: 'md-list', start: numbered && numbered[1] !== '1' ? numbered[1] : null });
          nodes.push(list);
        }
        list.append(el('li', {}, inlineMarkdown(bullet ? bullet[1] : numbered[2])));
        para = null;
        continue;
      }
      list = null;
      if (!line.trim()) {
        para = null;
        continue;
      }
      if (para) para.append(el('br'));
      else {
        para = el('p', { class: 'md-p' });
        nodes.push(para);
      }
      para.append(...inlineMarkdown(line).map((n) => (n instanceof Node ? n : document.createTextNode(n))));
    }
    return nodes;
  }

  /* ------------------------------------------------------------------ */
  /* API                                                                 */
  /* ------------------------------------------------------------------ */

  /** Call the agent API; a 401 outside login ends the session. */
  const api = apiClient({ getToken: () => state.token, onSessionEnded: (message) => endSession(message), t,
    getLanguage: () => state.lang,
    // a refusal in the desk's language: the server's reason (English) as it is in the English desk
    localize: (status, message) => {
      if (state.lang === 'en') return message;
      const key = status >= 500 ? 'error.http.5xx' : `error.http.${status}`;
      return known(key) ? t(key, { msg: message, status }) : t('error.http', { msg: message, status });
    } });

  const ticketPath = (id) => `/tickets/${encodeURIComponent(id)}`;

  /* ------------------------------------------------------------------ */
  /* Polling                                                             */
  /* ------------------------------------------------------------------ */

  /** Run task every intervalMs; a slow answer is never overlapped by the next call. */
  function createPoller(task, intervalMs) {
    let timer = null;
    let busy = false;

    async function tick() {
      if (busy) return;
      busy = true;
      try {
        await task();
        setConnectionProblem(false);
      } catch (err) {
        if (!err.sessionEnded) setConnectionProblem(err.status === 0 || err.status >= 500);
      } finally {
        busy = false;
      }
    }

    return {
      start() {
        if (timer !== null) return;
        tick();
        timer = setInterval(tick, intervalMs);
      },
      stop() {
        clearInterval(timer);
        timer = null;
      },
      now: tick,
      get running() { return timer !== null; },
    };
  }

  function stopAllPollers() {
    Object.values(state.pollers).forEach((poller) => poller.stop());
  }

  function setConnectionProblem(problem) {
    $('connection-status').textContent = problem ? t('connection.lost') : '';
  }

  /* ------------------------------------------------------------------ */
  /* Notices                                                             */
  /* ------------------------------------------------------------------ */

  function showNotice(text, kind = 'error') {
    $('notice-text').textContent = text;
    $('notice').className = `notice notice-${kind}`;
    $('notice').hidden = false;
  }

  function clearNotice() {
    $('notice').hidden = true;
    $('notice-text').textContent = '';
  }

  /* ------------------------------------------------------------------ */
  /* Session                                                             */
  /* ------------------------------------------------------------------ */

  function restoreSession() {
    const token = sessionStorage.getItem(STORAGE.token);
    if (!token) return false;
    state.token = token;
    try {
      state.agent = JSON.parse(sessionStorage.getItem(STORAGE.agent) || 'null');
    } catch (err) {
      state.agent = null;
    }
    return true;
  }

  function startSession(token, agent) {
    state.token = token;
    state.agent = agent;
    sessionStorage.setItem(STORAGE.token, token);
    sessionStorage.setItem(STORAGE.agent, JSON.stringify(agent));
    $('login-error').textContent = '';
    showDesk();
  }

  /** Forget the token and return to the login form (logout or 401). */
  function endSession(message = '') {
    stopAllPollers();
    sessionStorage.removeItem(STORAGE.token);
    sessionStorage.removeItem(STORAGE.agent);
    state.token = null;
    state.agent = null;
    closeTicketPanel();
    resetQueue();
    clearPast();
    state.metrics = null;
    clearNotice();
    setConnectionProblem(false);
    showLogin(message);
  }

  function showLogin(message = '') {
    $('notify-button').hidden = true;
    $('desk-view').hidden = true;
    $('tabs').hidden = true;
    $('agent-badge').hidden = true;
    $('logout-button').hidden = true;
    $('supervisor-link').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = message;
    document.title = t('app.title');
    $('username').focus();
  }

  const isSupervisor = () => Boolean(state.agent && state.agent.role === 'supervisor');

  /** Log out: the server revokes the token (a failure to reach it still ends the session here). */
  async function logout() {
    const token = state.token;
    endSession();
    if (!token) return;
    try {
      await fetch(API + '/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    } catch (err) {
      // offline: the token expires on its own
    }
  }

  function showDesk() {
    $('login-view').hidden = true;
    $('desk-view').hidden = false;
    $('tabs').hidden = false;
    $('logout-button').hidden = false;
    // metrics are for supervisors (the API answers 403 to agents)
    $('tab-supervisor').hidden = !isSupervisor();
    $('supervisor-link').hidden = !isSupervisor();  // the full view: supervisor.html
    if (!isSupervisor()) state.view = 'queue';
    renderAgentBadge();
    renderAlertButton();
    switchView(state.view);
    state.pollers.queue.start();
    loadCanned().catch(() => {});
    loadTransferTargets();
  }

  function renderAgentBadge() {
    const agent = state.agent || {};
    $('agent-name').textContent = agent.display_name || agent.username || '';
    $('agent-role').textContent = agent.role ? label('role', agent.role) : '';
    $('agent-badge').hidden = !agent.username && !agent.display_name;
  }

  /** Is this assigned_to value the logged-in agent? */
  function isMe(assignedTo) {
    if (isBlank(assignedTo) || !state.agent) return false;
    const who = typeof assignedTo === 'object' ? assignedTo.username ?? assignedTo.id : assignedTo;
    return who === state.agent.username
      || (Boolean(state.agent.display_name) && who === state.agent.display_name);
  }

  function assigneeName(assignedTo) {
    if (assignedTo && typeof assignedTo === 'object') {
      return assignedTo.display_name || assignedTo.username || String(assignedTo.id ?? '');
    }
    return String(assignedTo);
  }

  /* ------------------------------------------------------------------ */
  /* Views (queue / supervisor)                                          */
  /* ------------------------------------------------------------------ */

  function switchView(view) {
    if (view === 'supervisor' && !isSupervisor()) view = 'queue';
    state.view = view;
    $('queue-view').hidden = view !== 'queue';
    $('supervisor-view').hidden = view !== 'supervisor';
    for (const tab of document.querySelectorAll('.tab')) {
      if (tab.dataset.view === view) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    if (view === 'supervisor') state.pollers.metrics.start();
    else state.pollers.metrics.stop();
  }

  /* ------------------------------------------------------------------ */
  /* Queue                                                               */
  /* ------------------------------------------------------------------ */

  /* Filters (issue 14 "Find work"): GET /queue?q=&channel=&language=&assigned=, refreshed with the queue. */

  const FILTER_DEBOUNCE_MS = 300;
  const WAITING_STATES = new Set(['queued', 'callback']);
  let filterTimer = null;

  /** The filter controls' values: {q, channel, language, assigned} ('' = any; assigned none|me|any). */
  function readFilters() {
    return {
      q: $('filter-q').value.trim(),
      channel: $('filter-channel').value,
      language: $('filter-language').value,
      assigned: $('filter-assigned').value || 'none',
    };
  }

  /** "/queue" (the waiting tickets) or "/queue?channel=wechat&language=zh…" for the filters. */
  function queuePath(filters) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) {
      if (value && !(name === 'assigned' && value === 'none')) params.set(name, value);
    }
    const query = params.toString();
    return query ? `/queue?${query}` : '/queue';
  }

  /** Reload the queue now with the controls' filters (a poll in flight reloads itself, see refreshQueue). */
  function applyFilters() {
    clearTimeout(filterTimer);
    filterTimer = null;
    state.pollers.queue.now();
  }

  function clearFilters() {
    $('filter-q').value = '';
    $('filter-channel').value = '';
    $('filter-language').value = '';
    $('filter-assigned').value = 'none';
    applyFilters();
    $('filter-q').focus();
  }

  async function refreshQueue() {
    let path;
    let answers;
    do {  // the filters changed while the answers were on their way: ask again, never show stale ones
      path = queuePath(readFilters());
      answers = await Promise.allSettled([
        api(path),
        api('/queue?assigned=me'),
        // new-ticket alerts watch every waiting ticket, whatever the filters show
        path === '/queue' ? null : api('/queue'),
      ]);
    } while (path !== queuePath(readFilters()));
    const [queueAnswer, mineAnswer, waitingAnswer] = answers;
    for (const answer of [mineAnswer, waitingAnswer]) if (answer.status === 'rejected') throw answer.reason;
    if (queueAnswer.status === 'rejected' && queueAnswer.reason.status !== 400) throw queueAnswer.reason;
    const queue = queueAnswer.status === 'fulfilled' ? queueAnswer.value : [];
    const waiting = path === '/queue' ? queue : waitingAnswer.value;
    state.mine = Array.isArray(mineAnswer.value) ? mineAnswer.value : [];
    renderMine();
    noticeNewTickets(Array.isArray(waiting) ? waiting : []);
    state.queue = Array.isArray(queue) ? queue : [];
    state.queuePath = path;
    state.queueError = queueAnswer.status === 'rejected' ? queueAnswer.reason.message : '';  // a 400: say why
    // the queue is paged (first 50): the numbers are the server's totals
    state.queueTotal = Array.isArray(queue) && Number.isFinite(queue.total) ? queue.total : state.queue.length;
    state.queueCapped = Boolean(Array.isArray(queue) && queue.totalCapped);
    state.waitingTotal = Array.isArray(waiting) && Number.isFinite(waiting.total)
      ? waiting.total : (Array.isArray(waiting) ? waiting.length : 0);
    renderQueue();
  }

  function resetQueue() {
    state.mine = [];
    state.waitingIds = null;
    $('mine-list').replaceChildren();
    state.queue = [];
    state.queueTotal = 0;
    state.waitingTotal = 0;
    state.queuePath = '/queue';
    state.announcedPath = '/queue';
    state.queueError = '';
    state.queueRows.clear();
    $('queue-body').replaceChildren();
    $('filter-status').textContent = '';
  }

  /**
   * Update rows in place (keyed by ticket id) so a focused Claim button
   * survives the 2-second refresh; rows are only moved when the order changes.
   */
  function renderQueue() {
    const body = $('queue-body');
    const seen = new Set();
    const rows = state.queue.map((ticket) => {
      const id = String(ticket.ticket_id);
      seen.add(id);
      let row = state.queueRows.get(id);
      if (!row) {
        row = buildQueueRow(id);
        state.queueRows.set(id, row);
      }
      updateQueueRow(row, ticket);
      return row;
    });

    for (const [id, row] of state.queueRows) {
      if (!seen.has(id)) {
        row.remove();
        state.queueRows.delete(id);
      }
    }
    placeRows(body, rows);
    renderQueueSummary();
  }

  function placeRows(body, rows) {
    const inOrder = rows.length === body.children.length
      && rows.every((row, i) => body.children[i] === row);
    if (inOrder) return;
    const focused = document.activeElement;
    rows.forEach((row) => body.append(row));
    if (focused && focused !== document.activeElement && body.contains(focused)) focused.focus();
  }

  function renderQueueSummary() {
    const count = Math.max(state.queue.length, state.queueTotal || 0);
    const filtered = Boolean(state.queuePath) && state.queuePath !== '/queue';
    const waiting = filtered ? state.waitingTotal || 0 : count;
    const breached = state.queue.filter((ticket) => ticket.sla_breached).length;
    const shown = state.queueCapped ? `${state.queue.length}+` : count;  // capped: at least this many
    const matches = count === 1 && !state.queueCapped ? t('filters.count.one') : t('filters.count', { n: shown });
    $('queue-empty').hidden = count > 0;
    $('queue-empty').textContent = state.queueError || (filtered ? t('filters.none') : t('queue.empty'));
    $('queue-table').classList.toggle('is-empty', count === 0);
    $('queue-count').textContent = waiting ? String(waiting) : '';  // the tab counts who waits, not the filter
    const parts = [filtered ? matches : t('queue.count', { n: count })];
    if (breached) parts.push(t('queue.breachedCount', { n: breached }));
    $('queue-summary').textContent = parts.join(' · ');
    document.title = waiting ? `(${waiting}) ${t('app.title')}` : t('app.title');
    // screen readers hear the result of a filter change once (politely), not every 2 s refresh
    if (state.queuePath && state.queuePath !== state.announcedPath) {
      state.announcedPath = state.queuePath;
      $('filter-status').textContent = state.queueError || (count ? matches : t('filters.none'));
    }
  }

  function buildQueueRow(id) {
    const claim = el('button', {
      type: 'button',
      class: 'claim-button button-primary small',
      dataset: { ticketId: id },
    }, t('claim'));
    const row = el('tr', { class: 'queue-row', tabindex: '0', dataset: { ticketId: id } },
      el('td', { class: 'col-priority' }),
      el('td', { class: 'col-reason' }),
      el('td', { class: 'col-language' }),
      el('td', { class: 'col-channel' }),
      el('td', { class: 'col-waiting' }),
      el('td', { class: 'col-summary' }),
      el('td', { class: 'col-action' }, claim));
    return row;
  }

  function updateQueueRow(row, ticket) {
    const id = row.dataset.ticketId;
    const cells = row.cells;
    setCell(cells[0], el('span', { class: priorityClass(ticket.priority) },
      t('priority.label', { n: ticket.priority ?? '?' })));
    setCell(cells[1], el('span', {
      class: 'reason-code', title: reasonDetail(ticket.reason) || null, dataset: { code: reasonCode(ticket.reason) },
    }, reasonLabel(ticket.reason)));
    setCell(cells[2], languageName(ticket.language));
    setCell(cells[3], [channelName(ticket.channel), ticket.live_call ? liveCallBadge() : null]);
    setCell(cells[4], waitingCell(ticket));
    setCell(cells[5], summaryOf(ticket));

    const claim = cells[6].firstElementChild;
    claim.textContent = t('claim');
    claim.setAttribute('aria-label', t('claim.aria', { id }));
    // assigned=me|any also lists tickets agents hold: only a waiting one can be claimed
    claim.hidden = !isBlank(ticket.state) && !WAITING_STATES.has(ticket.state);

    row.classList.toggle('sla-breached', Boolean(ticket.sla_breached));
    row.classList.toggle('selected', id === state.ticketId);
    if (id === state.ticketId) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }

  /** The customer is on the phone right now (an open IVR ticket). */
  function liveCallBadge() {
    return el('span', { class: 'live-call' }, t('liveCall'));
  }

  function waitingCell(ticket) {
    // the wait counts from the hand-over, as the supervisor's figures do (a reviewer's finding, issue 11)
    const nodes = [el('span', { class: 'wait-time' }, formatWait(ticket.waiting_s))];
    // a call-back is told apart from a chat waiting in the queue (a fresh new user's finding, issue 11 sixteenth pass);
    // one the customer asked for while waiting says how long ago they asked (callback_waiting_s)
    if (ticket.state === 'callback') {
      const asked = typeof ticket.callback_waiting_s === 'number';
      nodes.push(el('span', { class: 'callback-badge' },
        asked ? t('callback.asked', { wait: formatWait(ticket.callback_waiting_s) }) : t('state.callback')));
    }
    if (ticket.sla_breached) nodes.push(el('span', { class: 'sla-badge' }, t('sla.breached')));
    return nodes;
  }

  /** Replace a cell's content only when it changed (keeps DOM churn low). */
  function setCell(cell, content) {
    const fresh = cell.cloneNode(false);
    appendChildren(fresh, [content]);
    if (!fresh.isEqualNode(cell)) cell.replaceChildren(...fresh.childNodes);
  }

  function handleQueueClick(event) {
    const claim = event.target.closest('.claim-button');
    if (claim) {
      claimTicket(claim.dataset.ticketId);
      return;
    }
    const row = event.target.closest('tr.queue-row');
    if (row) openTicket(row.dataset.ticketId);
  }

  function handleQueueKey(event) {
    const row = event.target;
    if (!(row instanceof HTMLTableRowElement) || !row.classList.contains('queue-row')) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openTicket(row.dataset.ticketId);
    }
  }

  async function claimTicket(id) {
    clearNotice();
    try {
      const ticket = await api(`${ticketPath(id)}/claim`, { method: 'POST' });
      showNotice(t('claim.ok', { id }), 'success');
      await openTicket(id, ticket && ticket.packet ? ticket : null);
      $('reply-text').focus();
    } catch (err) {
      if (err.sessionEnded) return;
      showNotice(err.status === 409 ? err.message : t('claim.failed', { id, msg: err.message }));
    } finally {
      state.pollers.queue.now();
    }
  }

  /* ------------------------------------------------------------------ */
  /* Search of past tickets (GET /search?q=): any state, newest first     */
  /* ------------------------------------------------------------------ */

  async function handlePastSearch(event) {
    event.preventDefault();
    const q = $('past-q').value.trim();
    const seq = (state.pastSeq = (state.pastSeq || 0) + 1);
    state.past = null;
    $('past-results').replaceChildren();
    if (!q) {
      $('past-status').textContent = t('past.needQuery');
      $('past-q').focus();
      return;
    }
    $('past-status').textContent = t('past.searching');
    try {
      const results = await api(`/search?q=${encodeURIComponent(q)}`);
      if (seq !== state.pastSeq) return;  // a newer search answers instead
      const items = Array.isArray(results) ? results : [];
      state.past = { q, items, total: Number.isFinite(results && results.total) ? results.total : items.length };
      renderPast();
    } catch (err) {
      if (err.sessionEnded || seq !== state.pastSeq) return;
      $('past-status').textContent = t('past.failed', { msg: err.message });
    }
  }

  /** The search's results (id, state, channel, language, reason, created time, summary); each opens the ticket. */
  function renderPast() {
    const past = state.past;
    if (!past) return;
    const { q, items, total } = past;
    let status = t('past.none', { q });
    if (items.length) {
      if (total > items.length) status = t('past.countMore', { shown: items.length, n: total });
      else status = items.length === 1 ? t('past.count.one') : t('past.count', { n: items.length });
    }
    $('past-status').textContent = status;
    $('past-results').replaceChildren(...items.map((ticket) => {
      const id = String(ticket.ticket_id);
      const stateName = String(ticket.state || 'unknown').replace(/[^\w-]/g, '');
      return el('li', { class: 'past-item', dataset: { ticketId: id } },
        el('button', {
          type: 'button', class: 'link-button mono past-open', dataset: { ticketId: id },
          'aria-label': t('past.open', { id }),
        }, id),
        el('span', { class: `state-badge state-${stateName}` }, label('state', ticket.state)),
        el('span', { class: 'past-channel' }, channelName(ticket.channel)),
        el('span', { class: 'past-language' }, languageName(ticket.language)),
        el('span', { class: 'reason-code', dataset: { code: reasonCode(ticket.reason) } }, reasonLabel(ticket.reason)),
        el('time', { class: 'muted', datetime: ticket.created_at || null }, formatDateTime(ticket.created_at)),
        el('span', { class: 'past-summary' }, summaryOf(ticket)));
    }));
  }

  function clearPast() {
    state.past = null;
    state.pastSeq = (state.pastSeq || 0) + 1;
    $('past-results').replaceChildren();
    $('past-status').textContent = '';
    $('past-q').value = '';
  }

  /* ------------------------------------------------------------------ */
  /* Ticket panel                                                        */
  /* ------------------------------------------------------------------ */

  /** Show a ticket; `ticket` may be an answer we already have (e.g. from claim). */
  async function openTicket(id, ticket = null) {
    id = String(id);
    if (state.ticketId !== id) {
      state.ticketId = id;
      state.ticket = null;
      state.packetKey = '';
      state.transcriptKeys = [];
      state.related = [];
      $('transcript').replaceChildren();
      $('customer-typing').textContent = '';
      $('related-tickets').replaceChildren();
      $('reply-text').value = '';
      $('note-text').value = '';
      state.notesKey = '';
      state.cannedFor = null;
    }
    $('ticket-placeholder').hidden = true;
    $('ticket-panel').hidden = false;
    markSelectedRow();

    if (ticket) {
      state.ticketSeq += 1; // an in-flight poll must not overwrite this fresher answer
      renderTicket(ticket);
    }
    state.pollers.ticket.start();
    if (!ticket) {
      try {
        await loadTicket();
      } catch (err) {
        if (!err.sessionEnded) showNotice(t('ticket.loadFailed', { id, msg: err.message }));
      }
    }
  }

  function closeTicketPanel() {
    state.pollers.ticket?.stop();
    state.ticketId = null;
    state.ticket = null;
    state.packetKey = '';
    state.transcriptKeys = [];
    state.related = [];
    $('transcript').replaceChildren();
    $('customer-typing').textContent = '';
    $('ticket-panel').hidden = true;
    $('ticket-placeholder').hidden = false;
    markSelectedRow();
  }

  function markSelectedRow() {
    for (const [id, row] of state.queueRows) {
      row.classList.toggle('selected', id === state.ticketId);
      if (id === state.ticketId) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
  }

  async function loadTicket() {
    const id = state.ticketId;
    if (!id) return;
    const seq = ++state.ticketSeq;
    const ticket = await api(ticketPath(id));
    // Drop the answer if the agent switched tickets or a newer answer arrived.
    if (state.ticketId !== id || seq !== state.ticketSeq) return;
    renderTicket(ticket);
  }

  function renderTicket(ticket) {
    state.ticket = ticket;
    if (state.cannedFor !== state.ticketId && ['en', 'zh'].includes(ticket.language)) {
      state.cannedFor = state.ticketId;  // canned replies in the customer's language (the agent may switch)
      $('canned-language').value = ticket.language;
      renderCannedSelect();
    }
    $('ticket-id').textContent = ticket.ticket_id ?? state.ticketId;
    renderTicketState(ticket);
    const packet = ticket.packet || {};
    const key = JSON.stringify(packet);
    if (key !== state.packetKey) {
      state.packetKey = key;
      renderPacket(packet);
      loadRelated(packet.conversation_id);
    }
    // this ticket's own line in "Tickets of this conversation" follows its state (a fresh tester, session 45: it
    // still said "Queued" after the claim and the close)
    const own = (Array.isArray(state.related) ? state.related : []).find(
      (related) => String(related.ticket_id) === String(ticket.ticket_id ?? state.ticketId));
    if (own && own.state !== ticket.state) {
      own.state = ticket.state;
      renderRelated(state.related);
    }
    const due = ticket.sla_due_at || (packet.sla && packet.sla.due_at);
    const waiting = ticket.state === 'queued' || ticket.state === 'callback';
    $('packet-sla').textContent = waiting ? formatDue(due) : formatDueAfterWait(due, ticket.sla_missed_by_s);
    $('packet-sla').classList.toggle('overdue', waiting && isOverdue(due));
    renderTranscript(Array.isArray(ticket.transcript) ? ticket.transcript : packet.transcript || []);
    // web chat only (the widget reports it); a polite live region, empty when nobody types
    const typingText = ticket.customer_typing === true ? t('transcript.customerTyping') : '';
    if ($('customer-typing').textContent !== typingText) $('customer-typing').textContent = typingText;
    renderNotes(ticket.notes);
    renderHistory(ticket.history);
  }

  function renderTicketState(ticket) {
    const badge = $('ticket-state');
    badge.textContent = label('state', ticket.state);
    badge.className = `state-badge state-${String(ticket.state || 'unknown').replace(/[^\w-]/g, '')}`;
    let live = $('ticket-live-call');
    if (!live) {
      live = liveCallBadge();
      live.id = 'ticket-live-call';
      badge.after(live);
    }
    live.textContent = t('liveCall');
    live.hidden = !ticket.live_call;

    const mine = isMe(ticket.assigned_to);
    const held = !isBlank(ticket.assigned_to);
    const terminal = TERMINAL_STATES.has(ticket.state);
    // a ticket closed or abandoned before anyone claimed it is never "not claimed yet" (session 45's reviewer)
    const nobody = terminal ? t('ticket.neverClaimed') : t('ticket.unassigned');
    $('ticket-assignee').textContent = mine
      ? t('ticket.heldByYou')
      : held ? t('ticket.heldBy', { name: assigneeName(ticket.assigned_to) }) : nobody;

    $('ticket-claim').hidden = terminal || held;
    setConversationControls(ticket, { mine, held, terminal });
  }

  /** The reply and close controls work only for the agent holding an open ticket. */
  function setConversationControls(ticket, { mine, held, terminal }) {
    const canAct = !terminal && (mine || (!held && ticket.state === 'with_agent'));
    let hint = t('reply.hint');
    if (terminal) hint = t('ticket.closedNoReply');
    else if (held && !mine) hint = t('ticket.otherHolder');
    else if (!canAct) hint = t('ticket.claimToReply');

    // a phone customer hears the agent, never a typed reply (a fresh new user, session 45: the desk took one and
    // showed it as sent): on a live call talk to them, after it call them back; a message they left to be answered
    // by text or e-mail is answered here (the server says which: typed_reply_blocked); closing stays
    const blocked = ticket.typed_reply_blocked || (ticket.live_call ? 'live_call' : null);
    const voiceOnly = canAct && Boolean(blocked);
    if (voiceOnly) hint = t(blocked === 'live_call' ? 'ticket.liveCallNoTyping' : 'ticket.phoneNoTyping');
    $('reply-hint').textContent = hint;
    $('reply-hint').classList.toggle('warn', !canAct || voiceOnly);
    for (const id of ['reply-text', 'send-reply', 'send-photo', 'disposition', 'close-ticket', 'canned-insert']) {
      $(id).disabled = !canAct || (voiceOnly && ['reply-text', 'send-reply', 'canned-insert'].includes(id));
    }
    // a phone caller or a REST client cannot be shown a photo (review rev14 #6): the server refuses it too
    const photoChannel = ['web', 'wechat'].includes(ticket.channel);
    if (!photoChannel) $('send-photo').disabled = true;
    $('send-photo').title = photoChannel ? '' : t('photo.channel');
    if (canAct && !cannedOf($('canned-language').value).length) $('canned-insert').disabled = true;
    // the holder passes a ticket on; a supervisor may move any open ticket
    const canTransfer = !terminal && (mine || isSupervisor());
    $('transfer-target').disabled = !canTransfer;
    $('transfer-button').disabled = !canTransfer;
  }

  function renderPacket(packet) {
    // the summary in the desk's language when the packet carries both
    $('packet-summary').textContent = (packet.summaries && packet.summaries[state.lang]) || packet.summary || '—';
    renderReason(packet.reason);
    $('packet-priority').replaceChildren(el('span', { class: priorityClass(packet.priority) },
      t('priority.label', { n: packet.priority ?? '?' })));
    $('packet-channel').textContent = `${channelName(packet.channel)} / ${languageName(packet.language)}`;
    renderTags(packet);
    $('packet-created').textContent = formatDateTime(packet.created_at);
    renderSkills(packet.skills);
    renderIntake(packet.intake);
    renderTroubleshooting(packet.troubleshooting);
    renderEmotion(packet.emotion);
    renderCustomer(packet.customer);
  }

  /** The model's emotion label and the order number as tags under the summary: what an agent needs first.
   * "Emotion: Angry", not "Mood: …": the summary's "Mood: negative 0.83" is the calibrated figure the
   * thresholds read, a different measure (session 38, a fresh reader's finding). */
  function renderTags(packet) {
    const emotion = packet.emotion && typeof packet.emotion === 'object' ? packet.emotion : {};
    const intake = packet.intake && typeof packet.intake === 'object' ? packet.intake : {};
    const tags = [];
    if (!isBlank(emotion.label)) {
      const mood = String(emotion.label).replace(/[^\w-]/g, '');
      tags.push(el('li', { class: `tag tag-mood emotion-${mood}`, dataset: { mood } },
        t('tag.mood', { mood: label('emotion', emotion.label) })));
    }
    if (!isBlank(intake.order_number)) {
      tags.push(el('li', { class: 'tag tag-order mono' }, t('tag.order', { order: intake.order_number })));
    }
    $('packet-tags').replaceChildren(...tags);
  }

  function renderReason(reason) {
    const detail = reasonDetail(reason);
    // every other trigger that fired, as label: detail in the desk's language
    const triggers = reason && Array.isArray(reason.triggers) ? reason.triggers.slice(1) : [];
    $('packet-reason').replaceChildren(
      el('span', { class: 'reason-code', dataset: { code: reasonCode(reason) } }, reasonLabel(reason)),
      detail ? el('span', { class: 'reason-detail' }, detail) : null,
      ...triggers.filter((tr) => tr && typeof tr === 'object').map((tr) => el('span', { class: 'reason-detail' },
        `+ ${reasonLabel(tr)}${tr.detail ? `: ${detailText(tr.detail)}` : ''}`)));
  }

  function renderSkills(skills) {
    const list = Array.isArray(skills) ? skills : [];
    $('packet-skills').replaceChildren(...(list.length
      ? list.map((skill) => el('span', { class: 'chip', dataset: { skill } }, skillName(skill)))
      : ['—']));
  }

  function renderIntake(intake) {
    const data = intake && typeof intake === 'object' ? intake : {};
    const known = ['order_number', 'email', 'phone', 'topic'];
    const extra = Object.keys(data).filter((key) => !known.includes(key));
    const rows = [...known, ...extra].flatMap((key) => [
      el('dt', {}, label('intake', key)),
      el('dd', { class: isBlank(data[key]) ? 'muted' : (key === 'topic' ? '' : 'mono') },
        isBlank(data[key]) ? '—' : (key === 'topic' ? label('topic', data[key]) : displayValue(data[key]))),
    ]);
    $('packet-intake').replaceChildren(...rows);
  }

  function displayValue(value) {
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  function renderTroubleshooting(trouble) {
    const flow = $('troubleshooting-flow');
    const steps = $('steps-done');
    const next = $('next-step');
    $('troubleshooting-detail').hidden = !trouble;
    if (!trouble) {
      flow.textContent = t('packet.noTroubleshooting');
      steps.replaceChildren();
      next.textContent = '—';
      return;
    }
    flow.textContent = trouble.flow ? t('packet.flow', { flow: label('flow', trouble.flow) }) : '';
    const done = Array.isArray(trouble.steps_done) ? trouble.steps_done : [];
    steps.replaceChildren(...(done.length
      ? done.map((step) => el('li', {}, stepLabel(trouble.flow, step)))
      : [el('li', { class: 'muted no-marker' }, t('packet.noSteps'))]));
    next.textContent = isBlank(trouble.next_step) ? '—' : stepLabel(trouble.flow, trouble.next_step);
    // the steps that failed, and how often (a fresh new user, session 45: only the steps done were shown)
    const counts = new Map();
    (Array.isArray(trouble.steps_failed) ? trouble.steps_failed : []).forEach((step) => {
      counts.set(String(step), (counts.get(String(step)) || 0) + 1);
    });
    $('steps-failed').replaceChildren(...[...counts].map(([step, n]) => el('li', {},
      n > 1 ? t('packet.failedTimes', { step: stepLabel(trouble.flow, step), n }) : stepLabel(trouble.flow, step))));
    $('steps-failed').hidden = counts.size === 0;
    $('steps-failed-label').hidden = counts.size === 0;
  }

  function renderEmotion(emotion) {
    const data = emotion && typeof emotion === 'object' ? emotion : {};
    const score = Number(data.score);
    $('emotion-label').textContent = isBlank(data.label) ? '—' : label('emotion', data.label);
    $('emotion-label').className = `emotion-label emotion-${String(data.label || 'none').replace(/[^\w-]/g, '')}`;
    $('emotion-score').textContent = Number.isFinite(score) ? `${Math.round(score * 100)}%` : '';
    const raw = Array.isArray(data.history) ? data.history : [];
    const scores = raw.map(historyScore).filter((value) => Number.isFinite(value));
    let history = '';
    if (scores.length) history = sparkline(scores);
    else if (raw.length) history = el('span', { class: 'muted' }, raw.map(displayValue).join(' → '));
    $('emotion-history').replaceChildren(history);
  }

  /** History items may be numbers or {score, label} objects; anything else is not a score. */
  function historyScore(item) {
    if (item && typeof item === 'object') return isBlank(item.score) ? NaN : Number(item.score);
    if (typeof item === 'number') return item;
    return typeof item === 'string' && item.trim() ? Number(item) : NaN;
  }

  /** A small line chart of emotion scores (0..1) over the conversation. */
  function sparkline(values) {
    const width = 220;
    const height = 44;
    const pad = 4;
    const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
    const point = (v, i) => {
      const x = values.length > 1 ? pad + i * step : width / 2;
      const y = height - pad - Math.min(Math.max(v, 0), 1) * (height - 2 * pad);
      return [x.toFixed(1), y.toFixed(1)];
    };
    const points = values.map(point);
    const description = t('packet.emotionHistory', {
      values: values.map((v) => `${Math.round(v * 100)}%`).join(', '),
    });
    return svg('svg', {
      class: 'sparkline', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': description,
    },
    svg('title', {}, description),
    svg('line', { class: 'spark-threshold', x1: pad, x2: width - pad, y1: height / 2, y2: height / 2 }),
    svg('polyline', { class: 'spark-line', points: points.map((p) => p.join(',')).join(' ') }),
    points.map(([x, y], i) => svg('circle', {
      class: values[i] >= 0.7 ? 'spark-dot high' : 'spark-dot', cx: x, cy: y, r: 3,
    })));
  }

  function renderCustomer(customer) {
    const data = customer && typeof customer === 'object' ? customer : {};
    // the name the site signed (customer.display_name): the API had it, the desk never showed it (session 45)
    const name = typeof data.display_name === 'string' ? data.display_name.trim() : '';
    $('customer-name').textContent = name;
    $('customer-name').hidden = !name;
    $('customer-id').textContent = data.id ? String(data.id) : t('packet.anonymous');
    // How the customer proved who they are (packet customer.verification), so the agent knows how far to trust it.
    const level = ['token', 'platform', 'order_contact'].includes(data.verification) ? data.verification : 'none';
    const badge = $('customer-verification');
    badge.dataset.level = level;
    badge.textContent = t(`verification.${level}`);
    const identities = Array.isArray(data.identities) ? data.identities : [];
    $('customer-identities').replaceChildren(...(identities.length
      ? identities.map((identity) => el('li', {},
        el('span', { class: 'chip' }, !identity.channel ? '?'  // a customer identity's kind, or a channel
          : known(`identity.${identity.channel}`) ? label('identity', identity.channel) : channelName(identity.channel)),
        ' ',
        el('span', { class: 'mono' }, identity.id ?? '')))
      : [el('li', { class: 'muted' }, t('packet.noIdentities'))]));
  }

  /** Other tickets of the same conversation (history across channels). */
  async function loadRelated(conversationId) {
    const forTicket = state.ticketId;
    if (!conversationId) {
      renderRelated([]);
      return;
    }
    try {
      const tickets = await api(`/tickets?conversation_id=${encodeURIComponent(conversationId)}`);
      if (state.ticketId !== forTicket) return;
      state.related = Array.isArray(tickets) ? tickets : [];
      renderRelated(state.related);
    } catch (err) {
      // Related tickets are a convenience; the panel works without them.
    }
  }

  function renderRelated(tickets) {
    const items = tickets.map((ticket) => {
      const id = String(ticket.ticket_id);
      const current = id === state.ticketId;
      const text = `${reasonLabel(ticket.reason)} · ${label('state', ticket.state)}`;
      return el('li', {},
        current
          ? el('span', { class: 'mono' }, id, ' ', t('packet.current'))
          : el('button', { type: 'button', class: 'link-button mono', dataset: { ticketId: id } }, id),
        ' ',
        el('span', { class: 'muted' }, text));
    });
    $('related-tickets').replaceChildren(...(items.length
      ? items
      : [el('li', { class: 'muted' }, t('packet.noRelated'))]));
  }

  /* ------------------------------------------------------------------ */
  /* Transcript                                                          */
  /* ------------------------------------------------------------------ */

  function messageKey(message) {
    const photos = (message.attachments || []).map((a) => a.id).join(',');
    return `${message.from}|${message.at}|${message.text}|${message.delivery || ""}|${photos}`;
  }

  /* Photos (issue 14): loaded with the agent's token, shown from blob: URLs. */
  const photoUrls = new Map();  // attachment id -> Promise of an object URL

  // preview: the small rendition (thumbnail_url) when the photo has one; the full picture on click
  function photoUrl(attachment, preview) {
    const url = (preview && attachment.thumbnail_url) || attachment.url || `${API}/attachments/${attachment.id}`;
    if (!photoUrls.has(url)) {
      photoUrls.set(url, fetch(url, {
        headers: { Authorization: `Bearer ${state.token}` }, cache: 'no-store',
      }).then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.blob();
      }).then((blob) => URL.createObjectURL(blob)).catch((err) => {
        photoUrls.delete(url);
        throw err;
      }));
    }
    return photoUrls.get(url);
  }

  function photoItem(attachment, from) {
    const type = String(attachment.content_type || '').replace('image/', '').toUpperCase();
    const kb = Math.max(1, Math.round((attachment.size || 0) / 1024));
    const alt = t('photo.alt', { from: label('from', from), type, kb });
    const img = el('img', { class: 'msg-photo-img', alt, width: attachment.width || null,
      height: attachment.height || null, dataset: { attachmentId: attachment.id } });
    const link = el('a', { class: 'msg-photo', href: '#', target: '_blank', rel: 'noopener', 'aria-busy': 'true',
      title: t('photo.loading') }, img);
    const hasPreview = Boolean(attachment.thumbnail_url);
    photoUrl(attachment, true).then((url) => {
      img.src = url;
      if (!hasPreview) link.href = url;  // the preview is the picture itself
      link.removeAttribute('aria-busy');
      link.removeAttribute('title');
    }).catch(() => { link.title = ''; });
    if (hasPreview) {  // the full picture only when asked for: open the tab now, fill it once loaded
      link.addEventListener('click', (event) => {
        if (link.href.startsWith('blob:')) return;
        event.preventDefault();
        const tab = window.open('', '_blank');
        if (tab) tab.opener = null;
        photoUrl(attachment, false).then((url) => {
          link.href = url;
          if (tab) tab.location.href = url;
        }).catch(() => { if (tab) tab.close(); });
      });
    }
    return link;
  }

  /**
   * Append only new messages so the aria-live region announces just them;
   * rebuild when the history changed under us.
   */
  function renderTranscript(messages) {
    const list = $('transcript');
    const keys = messages.map(messageKey);
    const known = state.transcriptKeys;
    const isExtension = keys.length >= known.length && known.every((key, i) => key === keys[i]);
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48;

    if (!isExtension) {
      list.setAttribute('aria-busy', 'true');
      list.replaceChildren();
      state.transcriptKeys = [];
    }
    const fresh = messages.slice(state.transcriptKeys.length);
    fresh.forEach((message) => list.append(messageItem(message)));
    state.transcriptKeys = keys;
    list.removeAttribute('aria-busy');

    list.querySelector('.transcript-empty')?.remove();
    if (!messages.length) list.append(el('li', { class: 'transcript-empty muted' }, t('transcript.empty')));

    if (!isExtension || (fresh.length && (nearBottom || fresh.some((m) => m.from === 'agent')))) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function messageItem(message) {
    const from = ['customer', 'bot', 'agent'].includes(message.from) ? message.from : 'other';
    return el('li', { class: `msg msg-${from}` },
      el('div', { class: 'msg-meta' },
        el('span', { class: 'msg-from' }, label('from', message.from)),
        el('time', { datetime: message.at || null }, formatTime(message.at)),
        message.channel ? el('span', { class: 'msg-channel' }, channelName(message.channel)) : null,
        message.delivery === 'at_most_once'  // a standard Rasa widget: sent once, never acknowledged
          ? el('span', { class: 'msg-delivery muted', title: t('delivery.at_most_once.title') },
            t('delivery.at_most_once'))
          : null),
      // the bot's and agents' markdown rendered (safely); what the customer typed stays plain text
      el('div', { class: 'msg-text' }, from === 'customer' ? message.text ?? '' : renderMarkdown(message.text)),
      Array.isArray(message.attachments) && message.attachments.length
        ? el('div', { class: 'msg-photos' }, message.attachments.map((a) => photoItem(a, message.from)))
        : null);
  }

  /** A refused photo's reason in the desk's language: by the server's code (too_large, too_many_scans,
   * too_complex…: rev14c #3) in every language; else the server's (English) message as it is in the
   * English desk, by status in the others (review rev14 #5). */
  function photoRefusal(status, message, code) {
    if (typeof code === 'string' && known(`photo.code.${code}`)) return t(`photo.code.${code}`);
    if (state.lang === 'en') return message;
    const key = `photo.refused.${status}`;
    if (known(key)) return t(key);
    const general = status >= 500 ? 'error.http.5xx' : `error.http.${status}`;
    return known(general) ? t(general, { msg: message, status }) : t('error.http', { msg: message, status });
  }

  async function handlePhoto(event) {
    const input = event.target;
    const file = input.files && input.files[0];
    input.value = '';
    const id = state.ticketId;
    if (!file || !id || $('send-photo').disabled) return;
    $('send-photo').disabled = true;
    try {
      const response = await fetch(`${API}${ticketPath(id)}/attachments`, {
        method: 'POST', body: file, cache: 'no-store',
        headers: { Authorization: `Bearer ${state.token}`, 'Content-Type': 'application/octet-stream' },
      });
      const data = await readJson(response);
      if (!response.ok) throw new Error(photoRefusal(response.status, errorMessage(data, response.status), data && data.code));
      clearNotice();
      await loadTicket();
    } catch (err) {
      showNotice(t('photo.failed', { msg: err.message }));
    } finally {
      if (state.ticket) renderTicketState(state.ticket);
      $('send-photo').focus();
    }
  }

  /* ------------------------------------------------------------------ */
  /* Reply and close                                                     */
  /* ------------------------------------------------------------------ */

  async function handleReply(event) {
    event.preventDefault();
    const box = $('reply-text');
    const text = box.value.trim();
    const id = state.ticketId;
    if (!text || !id || $('send-reply').disabled) return;

    $('send-reply').disabled = true;
    // One id per reply: the same reply sent again (after a network failure) keeps its id, so the
    // server delivers it once however many of the sends arrived (DESIGN.md §8).
    const draft = state.replyDraft;
    const messageId = draft && draft.ticketId === id && draft.text === text ? draft.id : newMessageId();
    state.replyDraft = { ticketId: id, text, id: messageId };
    try {
      await sendReply(id, text, messageId);
      state.replyDraft = null;
      if (box.value.trim() === text) box.value = '';
      clearNotice();
      await loadTicket();
    } catch (err) {
      if (!unanswered(err)) state.replyDraft = null;  // refused: a new send is a new reply
      if (!err.sessionEnded) showNotice(t(unanswered(err) ? 'reply.unsure' : 'reply.failed', { msg: err.message }));
    } finally {
      if (state.ticket) renderTicketState(state.ticket);
      box.focus();
    }
  }

  /** A new random id for a reply (letters and digits; crypto.getRandomValues works on plain http too). */
  function newMessageId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'desk-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** A failure after which the reply may or may not have arrived: no answer (network), or the
   * load balancer's 502/503/504 (the server died or was away). */
  function unanswered(err) {
    return err.status === 0 || err.status === 502 || err.status === 503 || err.status === 504;
  }

  /** POST the reply with its id; sent again (same id) after 1, 2 and 4 s while unanswered. */
  async function sendReply(ticketId, text, messageId) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await api(`${ticketPath(ticketId)}/messages`, { method: 'POST', body: { text, message_id: messageId } });
      } catch (err) {
        if (!unanswered(err) || attempt >= 3) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
      }
    }
  }

  /** Enter sends; Shift+Enter is a new line; never send mid IME composition (Chinese input). */
  function handleReplyKey(event) {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    $('reply-form').requestSubmit();
  }

  async function handleClose(event) {
    event.preventDefault();
    const id = state.ticketId;
    const disposition = $('disposition').value;
    if (!id || $('close-ticket').disabled) return;

    $('close-ticket').disabled = true;
    try {
      await api(`${ticketPath(id)}/close`, { method: 'POST', body: { disposition } });
      showNotice(t('close.ok', { id, disposition: label('disposition', disposition) }), 'success');
      await loadTicket();
    } catch (err) {
      if (!err.sessionEnded) showNotice(t('close.failed', { id, msg: err.message }));
    } finally {
      if (state.ticket) renderTicketState(state.ticket);
      state.pollers.queue.now();
    }
  }

  /* ------------------------------------------------------------------ */
  /* My tickets, new-ticket alerts                                       */
  /* ------------------------------------------------------------------ */

  /** Tickets the agent holds (a transfer to them lands here too). */
  function renderMine() {
    const mine = state.mine || [];
    $('mine-summary').textContent = mine.length ? t('mine.count', { n: mine.length }) : '';
    $('mine-list').replaceChildren(...(mine.length
      ? mine.map((ticket) => el('li', { class: 'mine-item' },
        el('button', {
          type: 'button', class: 'link-button mine-open', dataset: { ticketId: String(ticket.ticket_id) },
          'aria-current': String(ticket.ticket_id) === state.ticketId ? 'true' : null,
        }, el('span', { class: 'mono' }, ticket.ticket_id), ' · ', reasonLabel(ticket.reason), ' · ',
        channelName(ticket.channel), ' · ', truncate(summaryOf(ticket), 80))))
      : [el('li', { class: 'muted' }, t('mine.empty'))]));
  }

  /** A waiting ticket is in the agent's skills if it shares one (no skills on the agent: every ticket). */
  function inMySkills(ticket) {
    const mine = (state.agent && Array.isArray(state.agent.skills)) ? state.agent.skills : [];
    const needed = Array.isArray(ticket.skills) && ticket.skills.length ? ticket.skills : [ticket.language];
    return !mine.length || needed.some((skill) => mine.includes(skill));
  }

  /** Compare this poll's waiting tickets with the last one's: a chime and a notification for new ones. */
  function noticeNewTickets(queue) {
    const ids = new Set(queue.map((ticket) => String(ticket.ticket_id)));
    if (state.waitingIds) {
      const fresh = queue.filter((ticket) => !state.waitingIds.has(String(ticket.ticket_id)) && inMySkills(ticket));
      if (fresh.length) alertNewTickets(fresh);
    }
    state.waitingIds = ids;
  }

  function alertNewTickets(tickets) {
    const first = tickets[0];
    const text = t('alerts.newTicket', {
      reason: reasonLabel(first.reason), language: languageName(first.language), channel: channelName(first.channel),
    });
    $('new-ticket-alert').textContent = text;
    state.alerts = (state.alerts || 0) + tickets.length;
    document.body.dataset.alerts = String(state.alerts);
    playChime();
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    for (const ticket of tickets.slice(0, 3)) {
      try {
        const note = new Notification(t('alerts.title', { id: ticket.ticket_id }), {
          body: `${reasonLabel(ticket.reason)} · ${truncate(summaryOf(ticket), 120)}`,
          tag: String(ticket.ticket_id),
        });
        note.onclick = () => {
          window.focus();
          openTicket(ticket.ticket_id);
        };
      } catch (err) {
        // some browsers allow notifications only from a service worker: the chime and the status line remain
      }
    }
  }

  /** Two short tones (Web Audio: no sound file to fetch). Silent until a click has allowed audio. */
  function playChime() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      state.audio = state.audio || new Context();
      const audio = state.audio;
      if (audio.state === 'suspended') audio.resume().catch(() => {});
      const start = audio.currentTime;
      [880, 1320].forEach((frequency, i) => {
        const at = start + i * 0.18;
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
        tone.connect(gain).connect(audio.destination);
        tone.start(at);
        tone.stop(at + 0.17);
      });
      state.chimes = (state.chimes || 0) + 1;
      document.body.dataset.chimes = String(state.chimes);
    } catch (err) {
      // no audio device: the notification and the status line remain
    }
  }

  /** On the agent's click: ask for notification permission and unlock audio (browsers require a gesture). */
  async function enableAlerts() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !state.audio) state.audio = new Context();
    if (state.audio && state.audio.state === 'suspended') state.audio.resume().catch(() => {});
    if ('Notification' in window && Notification.permission === 'default') {
      try {
        await Notification.requestPermission();
      } catch (err) {
        // an old callback-only API: the button stays
      }
    }
    renderAlertButton();
  }

  function renderAlertButton() {
    const button = $('notify-button');
    button.hidden = !state.token;
    const permission = 'Notification' in window ? Notification.permission : 'denied';
    button.textContent = permission === 'granted' ? t('alerts.on') : permission === 'denied'
      ? t('alerts.blocked') : t('alerts.enable');
    button.setAttribute('aria-pressed', String(permission === 'granted'));
  }

  /* ------------------------------------------------------------------ */
  /* Canned replies                                                      */
  /* ------------------------------------------------------------------ */

  async function loadCanned() {
    const replies = await api('/canned');
    state.canned = Array.isArray(replies) ? replies : [];
    renderCannedSelect();
    renderCannedAdmin();
  }

  function cannedOf(language) {
    return (state.canned || []).filter((reply) => reply.language === language);
  }

  function renderCannedSelect() {
    const replies = cannedOf($('canned-language').value);
    $('canned-select').replaceChildren(...(replies.length
      ? replies.map((reply) => el('option', { value: String(reply.id), title: reply.text }, reply.title))
      : [el('option', { value: '' }, t('canned.none'))]));
    $('canned-insert').disabled = !replies.length;
  }

  /** Put the chosen reply into the reply box at the cursor (replacing a selection); the agent edits and sends. */
  function insertCanned() {
    const reply = (state.canned || []).find((r) => String(r.id) === $('canned-select').value);
    const box = $('reply-text');
    if (!reply || box.disabled) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    box.value = box.value.slice(0, start) + reply.text + box.value.slice(end);
    const caret = start + reply.text.length;
    box.focus();
    box.setSelectionRange(caret, caret);
  }

  function renderCannedAdmin() {
    $('canned-admin').hidden = !isSupervisor();
    if (!isSupervisor()) return;
    const replies = cannedOf($('canned-admin-language').value);
    $('canned-admin-list').replaceChildren(...replies.map((reply) => el('li', { class: 'canned-admin-item' },
      el('strong', {}, reply.title), ' ', el('span', { class: 'muted' }, truncate(reply.text, 90)), ' ',
      el('button', { type: 'button', class: 'button-quiet small', dataset: { edit: String(reply.id) } },
        t('cannedAdmin.edit')),
      el('button', { type: 'button', class: 'button-quiet small', dataset: { delete: String(reply.id) } },
        t('cannedAdmin.delete')))));
  }

  function editCanned(reply) {
    $('canned-id').value = reply ? String(reply.id) : '';
    $('canned-title').value = reply ? reply.title : '';
    $('canned-text').value = reply ? reply.text : '';
    $('canned-title').focus();
  }

  async function handleCannedAdminClick(event) {
    const edit = event.target.closest('button[data-edit]');
    const remove = event.target.closest('button[data-delete]');
    if (edit) editCanned((state.canned || []).find((r) => String(r.id) === edit.dataset.edit));
    if (!remove) return;
    try {
      await api('/canned', { method: 'POST', body: { id: Number(remove.dataset.delete), delete: true } });
      showNotice(t('cannedAdmin.deleted'), 'success');
      await loadCanned();
    } catch (err) {
      if (!err.sessionEnded) showNotice(t('cannedAdmin.failed', { msg: err.message }));
    }
  }

  async function handleCannedSave(event) {
    event.preventDefault();
    const body = {
      language: $('canned-admin-language').value,
      title: $('canned-title').value.trim(),
      text: $('canned-text').value.trim(),
    };
    if ($('canned-id').value) body.id = Number($('canned-id').value);
    try {
      await api('/canned', { method: 'POST', body });
      showNotice(t('cannedAdmin.saved'), 'success');
      editCanned(null);
      await loadCanned();
    } catch (err) {
      if (!err.sessionEnded) showNotice(t('cannedAdmin.failed', { msg: err.message }));
    }
  }

  /* ------------------------------------------------------------------ */
  /* Transfer, notes, history                                            */
  /* ------------------------------------------------------------------ */

  async function loadTransferTargets() {
    try {
      state.targets = await api('/transfer-targets');
    } catch (err) {
      state.targets = null;
    }
    renderTransferTargets();
  }

  function renderTransferTargets() {
    const targets = state.targets || { agents: [], skills: [] };
    const me = state.agent && state.agent.username;
    const agents = (targets.agents || []).filter((a) => a.username !== me);
    const select = $('transfer-target');
    const chosen = select.value;
    select.replaceChildren(
      el('optgroup', { label: t('transfer.agents') }, agents.map((a) => el('option', { value: `agent:${a.username}` },
        `${a.display_name} (${a.username})`, a.online ? ` ${t('transfer.online')}` : ''))),
      el('optgroup', { label: t('transfer.skills') }, (targets.skills || []).map((skill) => el('option',
        { value: `skill:${skill}` }, t('transfer.skill', { skill: skillName(skill) })))));
    if (chosen && [...select.options].some((o) => o.value === chosen)) select.value = chosen;
  }

  async function handleTransfer(event) {
    event.preventDefault();
    const id = state.ticketId;
    const value = $('transfer-target').value;
    if (!id || !value || $('transfer-button').disabled) return;
    const [kind, ...rest] = value.split(':');
    const body = kind === 'agent' ? { agent: rest.join(':') } : { skill: rest.join(':') };
    $('transfer-button').disabled = true;
    try {
      const ticket = await api(`${ticketPath(id)}/transfer`, { method: 'POST', body });
      showNotice(t('transfer.ok', { id }), 'success');
      state.ticketSeq += 1;
      if (ticket) renderTicket(ticket);
    } catch (err) {
      if (!err.sessionEnded) showNotice(t('transfer.failed', { id, msg: err.message }));
    } finally {
      if (state.ticket) renderTicketState(state.ticket);
      state.pollers.queue.now();
    }
  }

  function renderNotes(notes) {
    const list = Array.isArray(notes) ? notes : [];
    const key = JSON.stringify(list);
    if (key === state.notesKey) return;
    state.notesKey = key;
    $('notes-list').replaceChildren(...(list.length
      ? list.map((note) => el('li', { class: 'note' },
        el('div', { class: 'msg-meta' },
          el('span', { class: 'note-author' }, note.author), ' ',
          el('time', { datetime: note.created_at || null }, formatTime(note.created_at))),
        el('div', { class: 'note-text' }, note.text ?? '')))
      : [el('li', { class: 'muted' }, t('notes.empty'))]));
  }

  async function handleNote(event) {
    event.preventDefault();
    const box = $('note-text');
    const text = box.value.trim();
    const id = state.ticketId;
    if (!text || !id) return;
    $('add-note').disabled = true;
    try {
      await api(`${ticketPath(id)}/notes`, { method: 'POST', body: { text } });
      if (box.value.trim() === text) box.value = '';
      await loadTicket();
    } catch (err) {
      if (!err.sessionEnded) showNotice(t('notes.failed', { msg: err.message }));
    } finally {
      $('add-note').disabled = false;
    }
  }

  function historyText(item) {
    const by = item.by || '—';
    if (item.kind === 'created') return t('history.created');
    if (item.kind === 'claimed') return t('history.claimed', { by });
    if (item.kind === 'closed') return t('history.closed', { by });
    if (item.kind === 'transferred') {
      return item.to_agent
        ? t('history.transferredAgent', { by, to: item.to_agent })
        : t('history.transferredSkill', { by, to: skillName(item.to_skill) });
    }
    if (item.kind === 'csat' || item.kind === 'delivery_failed') return t(`history.${item.kind}`);
    // a call-back with its number (asked for, or a new number given); without one: the state change
    if (item.kind === 'callback' && item.phone) return t('history.callbackNumber', { phone: String(item.phone) });
    // the ticket followed the customer to another of their chats (bot.services.tickets.follow_customer)
    if (item.kind === 'continued') return t('history.continued', { to: channelName(item.to_channel) });
    if (item.kind === 'call_ended') return t('history.callEnded');
    return label('state', item.kind);
  }

  function renderHistory(history) {
    const items = Array.isArray(history) ? history : [];
    const key = JSON.stringify(items) + state.lang;
    if (key === state.historyKey) return;
    state.historyKey = key;
    $('history-list').replaceChildren(...items.map((item) => el('li', { class: `history-${item.kind}` },
      el('time', { datetime: item.at || null }, formatTime(item.at)), ' ', historyText(item))));
  }

  /* ------------------------------------------------------------------ */
  /* Supervisor metrics                                                  */
  /* ------------------------------------------------------------------ */

  async function refreshMetrics() {
    try {
      state.metrics = await api('/metrics');
    } catch (err) {
      if (!err.sessionEnded) $('metrics-updated').textContent = t('sup.failed', { msg: err.message });
      throw err;
    }
    renderMetrics();
    $('metrics-updated').textContent = t('sup.updated', { time: formatTime(new Date().toISOString()) });
  }

  function renderMetrics() {
    const m = state.metrics;
    if (!m) return;
    $('metric-containment').textContent = formatRate(m.containment_rate);
    $('metric-escalations').textContent = formatCount(m.escalations_total);
    $('metric-waiting').textContent = formatCount(m.waiting_count);
    // customers who hung up or left while queued (issue 14), and their share of the period's tickets
    $('metric-abandoned').textContent = formatCount(m.abandoned);
    $('metric-abandoned-rate').textContent = isBlank(m.abandonment_rate) ? '' : `(${formatRate(m.abandonment_rate)})`;
    $('metric-average-wait').textContent = isBlank(m.average_wait_s) ? '—' : formatWait(m.average_wait_s);
    $('metric-csat').textContent = formatCsat(m.csat_average);
    $('metric-csat-count').textContent = isBlank(m.csat_count) ? '' : t('sup.csatCount', { n: m.csat_count });
    renderReasonChart(m.escalations_by_reason || {});
    renderWaitChart(Array.isArray(m.waits) ? m.waits.slice(-RECENT_WAITS) : []);
  }

  /** Rates may come as 0..1 or as a percentage. */
  function formatRate(value) {
    const n = Number(value);
    if (isBlank(value) || !Number.isFinite(n)) return '—';
    const percent = n <= 1 ? n * 100 : n;
    return `${percent.toFixed(1)}%`;
  }

  function formatCount(value) {
    const n = Number(value);
    return isBlank(value) || !Number.isFinite(n) ? '—' : n.toLocaleString(locale());
  }

  function formatCsat(value) {
    const n = Number(value);
    return isBlank(value) || !Number.isFinite(n) ? '—' : n.toFixed(2);
  }

  /** Round a maximum up to a "nice" axis end (1, 2, 5 × 10^k). */
  function niceMax(value) {
    // at least 4 so the quarter ticks of an axis stay whole numbers
    if (!(value > 4)) return 4;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    const nice = [1, 2, 5, 10].find((f) => f * magnitude >= value);
    return nice * magnitude;
  }

  function emptyChart(node, width, height) {
    node.setAttribute('viewBox', `0 0 ${width} ${height}`);
    node.replaceChildren(svg('text', { class: 'chart-empty', x: width / 2, y: height / 2, 'text-anchor': 'middle' },
      t('sup.noData')));
  }

  /** Horizontal bars: one per reason code, longest first. */
  function renderReasonChart(byReason) {
    const node = $('chart-reasons');
    const entries = Object.entries(byReason)
      .map(([code, n]) => [code, Number(n) || 0])
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    $('chart-reasons-desc').textContent = entries.map(([code, n]) => `${code}: ${n}`).join(', ');

    const width = 520;
    const labelWidth = 150;
    const barHeight = 22;
    const gap = 8;
    const top = 8;
    const height = Math.max(60, top * 2 + entries.length * (barHeight + gap));
    if (!entries.length) {
      emptyChart(node, width, 60);
      return;
    }
    const max = niceMax(Math.max(...entries.map(([, n]) => n)));
    const plotWidth = width - labelWidth - 48;

    node.setAttribute('viewBox', `0 0 ${width} ${height}`);
    node.replaceChildren(...entries.map(([code, n], i) => {
      const y = top + i * (barHeight + gap);
      const w = Math.max(n > 0 ? 2 : 0, (n / max) * plotWidth);
      return svg('g', { class: 'bar-group', dataset: { key: code } },
        svg('title', {}, `${code}: ${n}`),
        svg('text', { class: 'chart-label', x: labelWidth - 8, y: y + barHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' },
          truncate(code, 20)),
        svg('rect', { class: 'bar bar-reason', x: labelWidth, y, width: w.toFixed(1), height: barHeight, rx: 3 }),
        svg('text', { class: 'chart-value', x: labelWidth + w + 6, y: y + barHeight / 2, 'dominant-baseline': 'central' },
          n));
    }));
  }

  /** Vertical bars: wait in seconds per recent ticket, with a labelled y axis. */
  function renderWaitChart(waits) {
    const node = $('chart-waits');
    const data = waits.map((w) => ({ id: String(w.ticket_id ?? ''), s: Math.max(0, Number(w.wait_s) || 0) }));
    $('chart-waits-desc').textContent = data.map((d) => `${d.id}: ${Math.round(d.s)} s`).join(', ');

    const width = 520;
    const height = 240;
    const margin = { top: 12, right: 12, bottom: 44, left: 44 };
    if (!data.length) {
      emptyChart(node, width, 60);
      return;
    }
    const max = niceMax(Math.max(...data.map((d) => d.s)));
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const slot = plotW / data.length;
    const barW = Math.min(36, slot * 0.7);
    const yOf = (s) => margin.top + plotH - (s / max) * plotH;

    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
    const axis = ticks.map((s) => svg('g', { class: 'tick' },
      svg('line', { class: 'grid-line', x1: margin.left, x2: width - margin.right, y1: yOf(s), y2: yOf(s) }),
      svg('text', { class: 'chart-axis', x: margin.left - 6, y: yOf(s), 'text-anchor': 'end', 'dominant-baseline': 'central' },
        Math.round(s))));

    const bars = data.map((d, i) => {
      const x = margin.left + i * slot + (slot - barW) / 2;
      const y = yOf(d.s);
      const showLabel = data.length <= 12 || i % Math.ceil(data.length / 12) === 0;
      return svg('g', { class: 'bar-group', dataset: { key: d.id } },
        svg('title', {}, `${d.id}: ${formatWait(d.s)} (${Math.round(d.s)} s)`),
        svg('rect', { class: 'bar bar-wait', x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: Math.max(0, margin.top + plotH - y).toFixed(1), rx: 2 }),
        showLabel ? svg('text', {
          class: 'chart-axis', x: (x + barW / 2).toFixed(1), y: height - margin.bottom + 14, 'text-anchor': 'middle',
        }, truncate(d.id, 8)) : null);
    });

    node.setAttribute('viewBox', `0 0 ${width} ${height}`);
    node.replaceChildren(...axis, ...bars,
      svg('line', { class: 'axis-line', x1: margin.left, x2: width - margin.right, y1: margin.top + plotH, y2: margin.top + plotH }));
  }

  /** A list row's summary in the desk's language (rows carry ``summaries``; ``summary`` is the server's pick). */
  function summaryOf(ticket) {
    return (ticket.summaries && ticket.summaries[state.lang]) || ticket.summary || '';
  }

  function truncate(text, length) {
    const s = String(text);
    return s.length > length ? `${s.slice(0, length - 1)}…` : s;
  }

  /* ------------------------------------------------------------------ */
  /* Language                                                            */
  /* ------------------------------------------------------------------ */

  function applyLanguage(lang) {
    state.lang = STRINGS[lang] ? lang : 'en';
    localStorage.setItem(STORAGE.lang, state.lang);
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-aria]')) {
      node.setAttribute('aria-label', t(node.dataset.i18nAria));
    }
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
      node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
    }
    const toggle = $('lang-toggle');
    toggle.textContent = t('lang.other');
    toggle.lang = state.lang === 'zh' ? 'en' : 'zh';
    rerenderDynamic();
  }

  /** Re-render what was built from data, so it picks up the new language. */
  function rerenderDynamic() {
    renderAgentBadge();
    renderAlertButton();
    renderMine();
    renderPast();
    renderCannedSelect();
    renderCannedAdmin();
    renderTransferTargets();
    state.notesKey = '';
    state.queueRows.forEach((row) => row.remove());
    state.queueRows.clear();
    if (state.token) renderQueue();
    if (state.ticket) {
      state.packetKey = '';
      state.transcriptKeys = [];
      $('transcript').replaceChildren();
      renderTicket(state.ticket);
      renderRelated(state.related);
    }
    renderMetrics();
  }

  /* ------------------------------------------------------------------ */
  /* Typing signal: the customer's web chat shows "<agent> is typing…"   */
  /* ------------------------------------------------------------------ */

  // Self-contained: while the holder types in the reply box, POST /typing at most every
  // TYPING_EVERY_MS (the widget shows it for 6 s); failures are ignored (it is only a hint).
  const TYPING_EVERY_MS = 3000;
  let typingSentAt = 0;
  document.addEventListener('input', (event) => {
    const box = event.target;
    const ticket = state.ticket;
    if (box.id !== 'reply-text' || box.disabled || !box.value.trim() || !ticket) return;
    if (ticket.state !== 'with_agent' || !isMe(ticket.assigned_to) || ticket.ticket_id !== state.ticketId) return;
    if (Date.now() - typingSentAt < TYPING_EVERY_MS) return;
    typingSentAt = Date.now();
    api(`${ticketPath(ticket.ticket_id)}/typing`, { method: 'POST' }).catch(() => {});
  });

  /* ------------------------------------------------------------------ */
  /* Start                                                               */
  /* ------------------------------------------------------------------ */

  function bindEvents() {
    mountLogin({
      api, t,
      onLoggedIn: (token, agent, username) => startSession(token, agent || { username, display_name: username, role: 'agent' }),
    });
    $('logout-button').addEventListener('click', logout);
    $('lang-toggle').addEventListener('click', () => applyLanguage(state.lang === 'en' ? 'zh' : 'en'));
    $('tab-queue').addEventListener('click', () => switchView('queue'));
    $('tab-supervisor').addEventListener('click', () => switchView('supervisor'));
    $('notice-dismiss').addEventListener('click', clearNotice);
    $('queue-body').addEventListener('click', handleQueueClick);
    $('queue-body').addEventListener('keydown', handleQueueKey);
    $('ticket-claim').addEventListener('click', () => state.ticketId && claimTicket(state.ticketId));
    $('ticket-dismiss').addEventListener('click', closeTicketPanel);
    $('related-tickets').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-ticket-id]');
      if (button) openTicket(button.dataset.ticketId);
    });
    $('reply-form').addEventListener('submit', handleReply);
    $('send-photo').addEventListener('click', () => $('photo-file').click());
    $('photo-file').addEventListener('change', handlePhoto);
    $('reply-text').addEventListener('keydown', handleReplyKey);
    $('close-form').addEventListener('submit', handleClose);
    $('notify-button').addEventListener('click', enableAlerts);
    $('mine-list').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-ticket-id]');
      if (button) openTicket(button.dataset.ticketId);
    });
    $('canned-language').addEventListener('change', renderCannedSelect);
    $('canned-insert').addEventListener('click', insertCanned);
    $('canned-admin-language').addEventListener('change', renderCannedAdmin);
    $('canned-admin-list').addEventListener('click', handleCannedAdminClick);
    $('canned-form').addEventListener('submit', handleCannedSave);
    $('canned-new').addEventListener('click', () => editCanned(null));
    $('transfer-form').addEventListener('submit', handleTransfer);
    $('note-form').addEventListener('submit', handleNote);
    $('queue-filters').addEventListener('submit', (event) => {
      event.preventDefault();
      applyFilters();
    });
    $('filter-q').addEventListener('input', () => {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(applyFilters, FILTER_DEBOUNCE_MS);
    });
    for (const id of ['filter-channel', 'filter-language', 'filter-assigned']) {
      $(id).addEventListener('change', applyFilters);
    }
    $('filter-clear').addEventListener('click', clearFilters);
    $('past-form').addEventListener('submit', handlePastSearch);
    $('past-results').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-ticket-id]');
      if (!button) return;
      // read-only when closed: the panel disables reply, close and transfer for a terminal ticket
      openTicket(button.dataset.ticketId);
      $('ticket-panel').scrollIntoView({ block: 'start' });
    });
  }

  function init() {
    state.pollers.queue = createPoller(refreshQueue, QUEUE_POLL_MS);
    state.pollers.ticket = createPoller(loadTicket, TICKET_POLL_MS);
    state.pollers.metrics = createPoller(refreshMetrics, METRICS_POLL_MS);
    bindEvents();
    applyLanguage(localStorage.getItem(STORAGE.lang) || 'en');
    if (restoreSession()) showDesk();
    else showLogin();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
