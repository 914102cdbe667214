"""A local fake of the telephony platform: signs call events, prints what the
caller would hear and speaks it with espeak-ng into WAV files.

    python -m connectors.ivr.call --url http://localhost:5005 --script FILE --lang en-US
    python -m connectors.ivr.call --url http://localhost:5005 --interactive --lang zh-CN

Script lines (``#`` comments): ``say: <text>`` (speech, confidence 0.9),
``say@0.3: <text>`` (speech with that confidence), ``dtmf: 100002``,
``no_input``, ``no_match``, ``hangup``. Interactive: type text; ``#123`` keys
digits, an empty line is silence, ``/hangup`` ends the call.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator, List, Optional

import requests

from bot.settings import get_settings
from connectors.ivr.signature import sign

ESPEAK_VOICE = {"en": "en", "zh": "cmn"}


def parse_line(line: str) -> Optional[dict]:
    """One line of a call script as an event dict, or None for blank lines and ``#`` comments.

    ``say: text`` (or ``say@0.6: text`` with a confidence, 0–1) is speech, ``dtmf: 12#`` keys,
    ``no_input`` / ``no_match`` / ``hangup`` those events.

    Raises:
        ValueError: the line is none of these, or its confidence is not a number.
    """
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    head, _, rest = line.partition(":")
    head = head.strip()
    if head.startswith("say"):
        confidence = float(head.split("@", 1)[1]) if "@" in head else 0.9
        return {"event": "speech", "text": rest.strip(), "confidence": confidence}
    if head == "dtmf":
        return {"event": "dtmf", "digits": rest.strip()}
    if head in ("no_input", "no_match", "hangup"):
        return {"event": head}
    raise ValueError(f"unknown script line: {line!r}")


def speak(ssml_document: str, language: str, wav: Path) -> bool:
    """espeak-ng in SSML mode; False when espeak-ng is missing or fails."""
    if not shutil.which("espeak-ng"):
        return False
    voice = ESPEAK_VOICE["zh" if language.lower().startswith("zh") else "en"]
    result = subprocess.run(["espeak-ng", "-m", "-v", voice, "-w", str(wav), ssml_document],
                            capture_output=True, timeout=60)
    return result.returncode == 0 and wav.exists() and wav.stat().st_size > 44


class FakePlatform:
    """A telephony platform stand-in: signs and posts one call's events to the IVR webhook, speaks the answers.

    Args:
        url: the Rasa server's base URL.
        secret: IVR_SECRET.
        lang: the call's language tag (``en-US``, ``zh-CN``).
        caller: the caller id (E.164).
        out_dir: where the spoken answers are written as WAV files (created).
        endpoint: ``webhook`` (JSON) or ``vxml``.
    """

    def __init__(self, url: str, secret: str, lang: str, caller: str, out_dir: Path,
                 endpoint: str = "webhook") -> None:
        self.url = url.rstrip("/") + f"/webhooks/ivr/{endpoint}"
        self.secret, self.lang, self.caller = secret, lang, caller
        self.call_id = "call-" + uuid.uuid4().hex[:12]
        self.seq = 0
        self.out_dir = out_dir
        self.wavs: List[Path] = []
        out_dir.mkdir(parents=True, exist_ok=True)

    def post(self, event: dict) -> dict:
        """Sign and send one event with the next sequence number.

        Args:
            event: the event's fields (``event``, ``text``, ``confidence``, ``digits``).

        Returns:
            The webhook's JSON answer ``{call_id, seq, actions}``.

        Raises:
            requests.HTTPError: the webhook answered 4xx or 5xx.
        """
        body = json.dumps({"call_id": self.call_id, "seq": self.seq, "caller": self.caller,
                           "lang": self.lang, **event}, ensure_ascii=False).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-IVR-Timestamp": timestamp,
                   "X-IVR-Signature": sign(self.secret, timestamp, body)}
        response = requests.post(self.url, data=body, headers=headers, timeout=120)
        response.raise_for_status()
        self.seq += 1
        return response.json()

    def play(self, answer: dict) -> bool:
        """Print and speak the actions; False when the call is over."""
        going_on = True
        for action in answer.get("actions", []):
            kind = action["action"]
            if kind == "say":
                print(f"  [say {action['language']}] {action['ssml']}")
                wav = self.out_dir / f"{self.call_id}-{answer['seq']:03d}-{len(self.wavs):03d}.wav"
                if speak(action["ssml"], action["language"], wav):
                    self.wavs.append(wav)
                    print(f"      -> {wav}")
            elif kind == "gather":
                print(f"  [gather] {', '.join(action['input'])}, digits={action.get('num_digits') or action.get('max_digits')}"
                      f", timeout {action['timeout_s']}s")
            elif kind == "transfer":
                print(f"  [transfer] queue {action['queue']}, ticket {action['ticket_id']} (UUI {action['uui']})")
                going_on = False
            elif kind == "hangup":
                print("  [hangup]")
                going_on = False
        return going_on


def interactive_lines() -> Iterator[str]:
    """Script lines typed at a ``caller>`` prompt: text is speech, ``#123`` keys, an empty line silence.

    Ends with ``hangup`` on ``/hangup`` or end of input.
    """
    while True:
        try:
            line = input("caller> ")
        except EOFError:
            yield "hangup"
            return
        if line == "/hangup":
            yield "hangup"
            return
        if not line.strip():
            yield "no_input"
        elif line.startswith("#"):
            yield "dtmf: " + line[1:].strip()
        else:
            yield "say: " + line


def run(platform: FakePlatform, lines) -> FakePlatform:
    """Play one call: ``start``, then each script line until the bridge ends the call, then ``hangup``.

    Returns:
        ``platform``, with the WAV files it wrote in ``wavs``.

    Raises:
        ValueError: a script line cannot be parsed.
        requests.HTTPError: the webhook refused an event.
    """
    print(f"call {platform.call_id} from {platform.caller} ({platform.lang})")
    going_on = platform.play(platform.post({"event": "start"}))
    for line in lines:
        event = parse_line(line)
        if event is None:
            continue
        if not going_on:
            break
        print(f"caller: {event}")
        answer = platform.post(event)
        going_on = platform.play(answer) and event["event"] != "hangup"
    if going_on:
        platform.post({"event": "hangup"})
    return platform


def main(argv: Optional[List[str]] = None) -> int:
    """The ``python -m connectors.ivr.call`` command: play a scripted or interactive call.

    Args:
        argv: the arguments (``sys.argv[1:]`` if None).

    Returns:
        The exit status: 0 when the call ran, 2 without an IVR secret.
    """
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:5005")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--script", type=Path)
    source.add_argument("--interactive", action="store_true")
    parser.add_argument("--lang", default="en-US")
    parser.add_argument("--caller", default="+8613800138000")
    parser.add_argument("--out", type=Path, default=Path("var/calls"))
    parser.add_argument("--secret", default=None, help="default: $IVR_SECRET")
    args = parser.parse_args(argv)
    secret = args.secret or get_settings().ivr_secret
    if not secret:
        print("IVR_SECRET is not set (the server needs the same value)", file=sys.stderr)
        return 2
    platform = FakePlatform(args.url, secret, args.lang, args.caller, args.out)
    lines = interactive_lines() if args.interactive else args.script.read_text(encoding="utf-8").splitlines()
    run(platform, lines)
    print(f"{len(platform.wavs)} WAV files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
