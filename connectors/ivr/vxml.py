"""VoiceXML 2.1 rendering of the bridge's actions, a pure function.

Standard IVR platforms fetch a document per turn: prompts (``say``), a
``<field>`` that collects speech or keys with ``<noinput>``/``<nomatch>``
(``gather``), ``<transfer>`` with the ticket id as ``aai`` and
``<disconnect>``. Every outcome ``<submit>``s the next event back to us with
the same fields the JSON protocol uses (the platform's gateway signs it).
"""
from __future__ import annotations

from typing import List, Sequence
from xml.sax.saxutils import escape, quoteattr

from connectors.ivr.ssml import inner_ssml

VXML_NS = "http://www.w3.org/2001/vxml"
SRGS_NS = "http://www.w3.org/2001/06/grammar"
NAMELIST = "call_id seq event text confidence digits"


def _js_string(value: str) -> str:
    """A JavaScript string literal for an ``expr`` attribute (then XML-quoted)."""
    safe = "".join(c if c.isalnum() or c in "-_.:" else f"\\u{ord(c):04x}" for c in value)
    return f"'{safe}'"


def _submit(url: str) -> str:
    return f'<submit next={quoteattr(url)} method="post" namelist="{NAMELIST}"/>'


def _event(name: str, url: str) -> str:
    return f'<assign name="event" expr="{_js_string(name)}"/>{_submit(url)}'


def _dtmf_grammar(gather: dict) -> str:
    options: Sequence[str] = sorted((gather.get("options") or {}).keys())
    if options:
        items = "".join(f"<item>{escape(o)}</item>" for o in options)
        return (f'<grammar mode="dtmf" version="1.0" root="menu" xmlns="{SRGS_NS}" '
                f'type="application/srgs+xml"><rule id="menu" scope="public"><one-of>{items}'
                f"</one-of></rule></grammar>")
    digits = gather.get("num_digits")
    length = f"?length={int(digits)}" if digits else f"?maxlength={int(gather.get('max_digits') or 20)}"
    return f'<grammar mode="dtmf" src="builtin:dtmf/digits{length}"/>'


def _field(gather: dict, url: str) -> str:
    modes = " ".join("voice" if m == "speech" else "dtmf" for m in gather.get("input", ["speech", "dtmf"]))
    parts = [
        '<field name="reply">',
        f'<property name="inputmodes" value="{escape(modes)}"/>',
        f'<property name="timeout" value="{int(gather.get("timeout_s", 5))}s"/>',
    ]
    if gather.get("finish_on_key"):
        parts.append(f'<property name="termchar" value={quoteattr(str(gather["finish_on_key"])[:1])}/>')
    if "dtmf" in gather.get("input", []):
        parts.append(_dtmf_grammar(gather))
    if "speech" in gather.get("input", []):
        parts.append(f'<grammar mode="voice" src="builtin:grammar/text" xml:lang={quoteattr(gather.get("language", "en-US"))}/>')
    parts += [
        f"<noinput>{_event('no_input', url)}</noinput>",
        f"<nomatch>{_event('no_match', url)}</nomatch>",
        "<filled>",
        "<if cond=\"reply$.inputmode == 'dtmf'\">",
        '<assign name="event" expr="\'dtmf\'"/><assign name="digits" expr="reply"/>',
        "<else/>",
        '<assign name="event" expr="\'speech\'"/><assign name="text" expr="reply$.utterance"/>'
        '<assign name="confidence" expr="reply$.confidence"/>',
        "</if>",
        _submit(url),
        "</filled>",
        "</field>",
    ]
    return "".join(parts)


def render_vxml(actions: List[dict], call_id: str, next_seq: int, submit_url: str,
                sip_domain: str = "pbx.invalid") -> str:
    """One VoiceXML 2.1 document for one turn's actions."""
    lang = next((a.get("language") for a in actions if a.get("language")), "en-US")
    items: List[str] = []
    for action in actions:
        kind = action.get("action")
        if kind == "say":
            barge = "true" if action.get("barge_in", True) else "false"
            items.append(f'<block><prompt bargein="{barge}" xml:lang={quoteattr(action.get("language", lang))}>'
                         f'{inner_ssml(action["ssml"])}</prompt></block>')
        elif kind == "gather":
            items.append(_field(action, submit_url))
        elif kind == "transfer":
            dest = f"sip:{action['queue']}@{sip_domain}"
            items.append(f'<transfer name="agent" type="blind" dest={quoteattr(dest)} '
                         f'aai={quoteattr(action["ticket_id"])}/>')
        elif kind == "hangup":
            items.append("<block><disconnect/></block>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<vxml version="2.1" xmlns="{VXML_NS}" xml:lang={quoteattr(lang)}>'
        f'<var name="call_id" expr="{_js_string(call_id)}"/>'
        f'<var name="seq" expr="{int(next_seq)}"/>'
        '<var name="event"/><var name="text"/><var name="confidence"/><var name="digits"/>'
        f'<catch event="connection.disconnect.hangup">{_event("hangup", submit_url)}</catch>'
        f'<form id="turn">{"".join(items)}</form>'
        "</vxml>"
    )
