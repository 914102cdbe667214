"""Customers: one customer across channels, signed identity tokens, one-time codes proving an order's contact, orders, the facts found in free text and PII masking."""
