"""The human queue: tickets and the desk's read side, agents and their tokens, delivery of what agents write, notices sent outside the chat, CSAT."""
