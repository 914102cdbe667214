"""Text that can go into XML 1.0, and XML we receive made parseable (pure).

Shared by the WeChat channel (passive replies, encrypted envelopes, incoming
messages) and the IVR bridge (SSML, VoiceXML). XML 1.0 allows only tab, line
feed, carriage return and U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF;
anything else (C0 controls such as ``\\x08``/``\\x1d``, lone surrogates,
U+FFFE/U+FFFF) makes a document malformed, also when written as a character
reference (``&#x1d;``). Untrusted text goes into a document only through
:func:`xml_text` (then ElementTree escapes it) or :func:`cdata`.
"""
from __future__ import annotations

import re

# Everything outside the XML 1.0 `Char` production.
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_LINE_END = re.compile("\r\n?")
_CDATA_SECTION = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)


def allowed(code_point: int) -> bool:
    """True when the character ``chr(code_point)`` may appear in an XML 1.0 document."""
    return (code_point in (0x9, 0xA, 0xD) or 0x20 <= code_point <= 0xD7FF or 0xE000 <= code_point <= 0xFFFD
            or 0x10000 <= code_point <= 0x10FFFF)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, line ends as ``\\n``.

    The result is exactly what a conforming parser hands back for it (parsers
    turn ``\\r\\n`` and ``\\r`` into ``\\n``), so text written through this
    function round-trips.
    """
    return _LINE_END.sub("\n", _FORBIDDEN.sub("", text))


def _keep_allowed_reference(match: "re.Match[str]") -> str:
    hex_digits, decimal = match.groups()
    if len((hex_digits or decimal).lstrip("0")) > 10:  # far beyond U+10FFFF (and int() of huge strings is slow)
        return ""
    code_point = int(hex_digits, 16) if hex_digits else int(decimal)
    return match.group(0) if allowed(code_point) else ""


def clean_document(document: str) -> str:
    """A received XML document with forbidden characters and references to them removed.

    Used before parsing what a platform sent: a customer's control character
    must not turn their message into "malformed XML". Markup is not changed,
    and ``&#…;`` inside a CDATA section is text, so it is kept.
    """
    # Sections are found before anything is removed: dropping the control
    # character of a customer's "]]\x08>" must not end their CDATA section.
    pieces = _CDATA_SECTION.split(document)
    return "".join(_clean_cdata(piece) if i % 2 else _CHAR_REF.sub(_keep_allowed_reference, _FORBIDDEN.sub("", piece))
                   for i, piece in enumerate(pieces))


def _clean_cdata(section: str) -> str:
    """One ``<![CDATA[…]]>`` section without forbidden characters, split again
    wherever their removal brought ``]]>`` together."""
    inner = _FORBIDDEN.sub("", section[len("<![CDATA["):-len("]]>")])
    return "<![CDATA[" + inner.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def cdata(text: str) -> str:
    """``text`` as CDATA section(s) that parse back to ``xml_text(text)``.

    ``]]>`` inside the text cannot end the section: it is split as
    ``]]]]><![CDATA[>`` (the standard way), so the text can never add markup.
    """
    return "<![CDATA[" + xml_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"
