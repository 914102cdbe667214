"""VoiceXML 2.1 rendering of the bridge's actions, a pure function.

Standard IVR platforms fetch a document per turn: prompts (``say``), a
``<field>`` that collects speech or keys with ``<noinput>``/``<nomatch>``
(``gather``), ``<transfer>`` with the ticket id as ``aai`` and
``<disconnect>``. Every outcome ``<submit>``s the next event back to us with
the same fields the JSON protocol uses (the platform's gateway signs it).

The document is an ElementTree: every value goes in as an attribute or text
through ``xml_text`` and is escaped when serialised, so nothing in an action
(a queue name, a ticket id, text the caller said) can break or add markup.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, List, Optional, Sequence

from connectors.ivr.ssml import prompt_content
from connectors.xml_text import xml_text

VXML_NS = "http://www.w3.org/2001/vxml"
SRGS_NS = "http://www.w3.org/2001/06/grammar"
NAMELIST = "call_id seq event text confidence digits"


def _el(parent: Optional[ET.Element], tag: str, text: Optional[str] = None, **attrs: Any) -> ET.Element:
    """An element (a child of ``parent`` when given); attribute names use ``_`` for ``-`` and ``xml_lang``."""
    attrib = {("xml:lang" if k == "xml_lang" else k.replace("_", "-")): xml_text(str(v))
              for k, v in attrs.items() if v is not None}
    element = ET.Element(tag, attrib) if parent is None else ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = xml_text(text)
    return element


def _js_string(value: str) -> str:
    """A JavaScript string literal for an ``expr`` attribute (then XML-escaped by ElementTree)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.:") else
                   "".join(f"\\u{unit:04x}" for unit in _utf16_units(c)) for c in value)
    return f"'{safe}'"


def _utf16_units(char: str) -> List[int]:
    data = char.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def _submit(parent: ET.Element, url: str) -> None:
    _el(parent, "submit", next=url, method="post", namelist=NAMELIST)


def _event(parent: ET.Element, name: str, url: str) -> None:
    _el(parent, "assign", name="event", expr=_js_string(name))
    _submit(parent, url)


def _dtmf_grammar(parent: ET.Element, gather: dict) -> None:
    options: Sequence[str] = sorted(str(o) for o in (gather.get("options") or {}).keys())
    if options:
        grammar = _el(parent, "grammar", mode="dtmf", version="1.0", root="menu", xmlns=SRGS_NS,
                      type="application/srgs+xml")
        one_of = _el(_el(grammar, "rule", id="menu", scope="public"), "one-of")
        for option in options:
            _el(one_of, "item", option)
        if int(gather.get("max_digits") or 1) > 1:  # a menu that also takes a keyed number (the read-back)
            _el(parent, "grammar", mode="dtmf", src=f"builtin:dtmf/digits?maxlength={int(gather['max_digits'])}")
        return
    digits = gather.get("num_digits")
    length = f"?length={int(digits)}" if digits else f"?maxlength={int(gather.get('max_digits') or 20)}"
    _el(parent, "grammar", mode="dtmf", src=f"builtin:dtmf/digits{length}")


def _field(parent: ET.Element, gather: dict, url: str) -> None:
    inputs = gather.get("input", ["speech", "dtmf"])
    field = _el(parent, "field", name="reply")
    _el(field, "property", name="inputmodes", value=" ".join("voice" if m == "speech" else "dtmf" for m in inputs))
    _el(field, "property", name="timeout", value=f"{int(gather.get('timeout_s', 5))}s")
    if gather.get("finish_on_key"):
        _el(field, "property", name="termchar", value=str(gather["finish_on_key"])[:1])
    if "dtmf" in inputs:
        _dtmf_grammar(field, gather)
    if "speech" in inputs:
        _el(field, "grammar", mode="voice", src="builtin:grammar/text", xml_lang=gather.get("language", "en-US"))
    _event(_el(field, "noinput"), "no_input", url)
    _event(_el(field, "nomatch"), "no_match", url)
    filled = _el(field, "filled")
    branch = _el(filled, "if", cond="reply$.inputmode == 'dtmf'")
    _el(branch, "assign", name="event", expr="'dtmf'")
    _el(branch, "assign", name="digits", expr="reply")
    _el(branch, "else")
    _el(branch, "assign", name="event", expr="'speech'")
    _el(branch, "assign", name="text", expr="reply$.utterance")
    _el(branch, "assign", name="confidence", expr="reply$.confidence")
    _submit(filled, url)


def _prompt(parent: ET.Element, say: dict, lang: str) -> None:
    prompt = _el(_el(parent, "block"), "prompt", bargein="true" if say.get("barge_in", True) else "false",
                 xml_lang=say.get("language", lang))
    text, children = prompt_content(say["ssml"])
    prompt.text = xml_text(text)
    prompt.extend(children)


def render_vxml(actions: List[dict], call_id: str, next_seq: int, submit_url: str,
                sip_domain: str = "pbx.invalid") -> str:
    """One VoiceXML 2.1 document (UTF-8 declaration, no pretty-printing) for one turn's actions.

    Args:
        actions: the turn's actions (``protocol.say``/``gather``/``transfer``/``hangup``);
            a ``say`` must carry an SSML document made by ``ssml.speak_document``.
        call_id, next_seq: the fields the next ``<submit>`` sends back.
        submit_url: where the platform posts the next event.
        sip_domain: host of the ``sip:support-<lang>@…`` transfer target.
    """
    lang = next((a.get("language") for a in actions if a.get("language")), "en-US")
    root = _el(None, "vxml", version="2.1", xmlns=VXML_NS, xml_lang=lang)
    _el(root, "var", name="call_id", expr=_js_string(call_id))
    _el(root, "var", name="seq", expr=str(int(next_seq)))
    for name in ("event", "text", "confidence", "digits"):
        _el(root, "var", name=name)
    _event(_el(root, "catch", event="connection.disconnect.hangup"), "hangup", submit_url)
    form = _el(root, "form", id="turn")
    for action in actions:
        kind = action.get("action")
        if kind == "say":
            _prompt(form, action, lang)
        elif kind == "gather":
            _field(form, action, submit_url)
        elif kind == "transfer":
            _el(form, "transfer", name="agent", type="blind", dest=f"sip:{action['queue']}@{sip_domain}",
                aai=action["ticket_id"])
        elif kind == "hangup":
            _el(_el(form, "block"), "disconnect")
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode")
