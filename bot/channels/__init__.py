"""What the core keeps about channels: which channel owns a conversation, web chat sessions and history."""
