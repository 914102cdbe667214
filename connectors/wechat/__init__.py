"""WeChat Official Account channel: `connectors.wechat.WeChatInput` in credentials.yml."""
from connectors.wechat.channel import WeChatConfig, WeChatInput

__all__ = ["WeChatConfig", "WeChatInput"]
