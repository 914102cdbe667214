"""Customers: one customer across channels, signed identity tokens, one-time codes proving an order's contact
(orders are in bot.orders, the facts found in free text and PII masking in bot.privacy)."""
