"""Speech loop benchmark: scripted callers through a real recogniser and the IVR bridge.

English: each caller utterance is spoken by ``espeak-ng`` (voice ``en-us``,
120 words a minute, 40 ms between words) into a WAV file, resampled to
16 kHz and transcribed by pocketsphinx (PyPI ``pocketsphinx``, its shipped
``en-us`` acoustic model, ``en-us.lm.bin`` general language model and CMU
dictionary: no grammar built from the script). Word error rate is measured on
those transcripts. Chinese: no offline Mandarin recogniser ships in the
registries, so the transcripts are hand-written the way recognisers write
Chinese speech (``幺`` for 1, ``Q叉`` for QX, homophones such as ``定单``).

Each transcript goes to the real IVR bridge (signed ``speech`` events with a
confidence, against the real Rasa and action servers), and the scripted caller
answers what it hears: yes/no to a read-back (by comparing it with what it
meant), the keypad when offered, the same request again when misunderstood.
Reported per language and task (order found, hand-over reached, password reset
started): task success, turns per task, whether the keypad was needed, and
the bridge's response time per event (p50/p95).

Run: ``make bench-voice`` (results in bench/results/voice.json).
"""
from __future__ import annotations

import argparse
import audioop
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import wave
from pathlib import Path
from typing import Optional

import requests

from connectors.ivr.signature import sign
from tests.conftest import MODEL, PROJECT_ROOT
from tests.integration.conftest import Servers

RESULTS = PROJECT_ROOT / "bench" / "results" / "voice.json"
IVR_SECRET = "bench-voice-secret-0123456789"
ESPEAK = ["-v", "en-us", "-s", "120", "-g", "4"]
MAX_TURNS = 10

# (task, what the caller says first, what it says when asked for the order number) per caller.
# (task, what the caller says, rephrased on each retry, what it says when asked for the order number).
EN_CALLERS = [
    ("order", ["where is my order", "I want to know where my order is", "order status"],
     "q x one zero zero zero zero two"),
    ("order", ["I want to check my order", "check my order", "where is my parcel"], "q x one zero zero zero zero two"),
    ("order", ["check my order status please", "where is my order", "my order"], "q x one oh oh oh oh two"),
    ("order", ["my order number is q x one zero zero zero zero two", "where is q x one zero zero zero zero two",
               "order q x one zero zero zero zero two"], "q x one zero zero zero zero two"),
    ("handover", ["I want to talk to a person", "agent please", "a real person please"], None),
    ("handover", ["can I speak to an agent", "I need a human", "transfer me to a person"], None),
    ("handover", ["talk to a human please", "customer service agent", "let me speak to someone"], None),
    ("reset", ["I forgot my password", "reset my password", "password reset"], None),
    ("reset", ["I want to reset my password", "I forgot my password", "new password please"], None),
    ("reset", ["I can not log in to my account", "I forgot my password", "reset password"], None),
]
# Chinese: hand-written recogniser-style transcripts (no offline Mandarin recogniser in the registries).
ZH_CALLERS = [
    ("order", ["我想查一下订单", "查订单"], "Q叉幺零零零零二"),
    ("order", ["查定单", "我要查订单"], "Q X 幺零零零零二"),
    ("order", ["帮我查一下订单QX幺零零零零二到哪了", "订单Q叉幺零零零零二"], "QX幺零零零零二"),
    ("order", ["我的快递到哪了", "查一下我的订单"], "幺零零零零二"),
    ("handover", ["转人工", "人工客服"], None),
    ("handover", ["我要找人工客服", "转人工"], None),
    ("handover", ["帮我接一下真人", "我要跟人工说"], None),
    ("reset", ["我忘记密码了", "重置密码"], None),
    ("reset", ["密码忘了怎么办", "我忘记密码了"], None),
    ("reset", ["我登不上账号了想重置密码", "忘记密码"], None),
]
ORDER = "QX-100002"


class Recogniser:
    """espeak-ng → WAV → pocketsphinx with its general English language model."""

    def __init__(self, workdir: Path) -> None:
        from pocketsphinx import Decoder, get_model_path

        model = Path(get_model_path()) / "en-us"
        for name in ("en-us", "en-us.lm.bin", "cmudict-en-us.dict"):
            if not (model / name).exists():
                raise SystemExit(f"pocketsphinx ships no {model / name}")
        self.decoder = Decoder(samprate=16000, loglevel="FATAL")
        self.workdir = workdir
        self.count = 0

    def __call__(self, text: str) -> str:
        self.count += 1
        wav = self.workdir / f"utt-{self.count}.wav"
        subprocess.run(["espeak-ng", *ESPEAK, "-w", str(wav), text], check=True, capture_output=True, timeout=60)
        with wave.open(str(wav)) as audio:
            raw = audio.readframes(audio.getnframes())
            rate, width = audio.getframerate(), audio.getsampwidth()
        raw, _ = audioop.ratecv(raw, width, 1, rate, 16000, None)
        silence = b"\0" * width * 8000  # half a second either side, as a phone line has
        self.decoder.start_utt()
        self.decoder.process_raw(silence + raw + silence, full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return hyp.hypstr if hyp is not None else ""


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words): Levenshtein distance over lower-case words."""
    ref, hyp = reference.lower().split(), hypothesis.lower().split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)], len(ref)


class Caller:
    """One call through the bridge: signed events, the actions back, timings."""

    def __init__(self, servers: Servers, lang: str, name: str, caller: str) -> None:
        self.servers, self.lang, self.caller = servers, lang, caller
        self.call_id = f"bench-{name}-{time.time_ns()}"
        self.seq = 0
        self.timings: list[float] = []

    def send(self, event: str, **fields) -> list[dict]:
        body = {"call_id": self.call_id, "seq": self.seq, "event": event, "caller": self.caller,
                "lang": "zh-CN" if self.lang == "zh" else "en-US", **fields}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-IVR-Timestamp": timestamp,
                   "X-IVR-Signature": sign(IVR_SECRET, timestamp, data)}
        started = time.perf_counter()
        response = requests.post(f"{self.servers.url}/webhooks/ivr/webhook", data=data, headers=headers, timeout=120)
        self.timings.append(time.perf_counter() - started)
        response.raise_for_status()
        self.seq += 1
        return response.json()["actions"]


def said(actions: list[dict]) -> str:
    return " ".join(a["text"] for a in actions if a["action"] == "say")


def run_task(servers: Servers, lang: str, index: int, task: str, phrasings: list, number: Optional[str],
             hear) -> dict:
    """Play one scripted caller; ``hear`` turns what the caller says into the recogniser's transcript.

    The caller rephrases when not understood (``phrasings``, one per attempt),
    says ``number`` when asked for the order number, answers read-backs by
    key 1/2 and keys the order number when the keypad is offered.
    """
    call = Caller(servers, lang, f"{lang}{index}", caller=f"+86139{1000000 + 100 * (lang == 'zh') + index:07d}")
    actions = call.send("start")
    turns, attempts, keypad, success = 0, 0, False, False
    first = phrasings[0]
    while turns < MAX_TURNS:
        text = said(actions)
        kinds = [a["action"] for a in actions]
        if task == "handover" and "transfer" in kinds:
            success = True
        if task == "reset" and re.search(r"Step 1 of 4|第 ?1 ?步", text):
            success = True
        if task == "order" and ORDER in text and re.search(r"on its way|shipped|已经发货|配送", text):
            success = True
        if success or "hangup" in kinds or "transfer" in kinds:
            break
        turns += 1
        if re.search(r"is that right\?|对吗", text):  # a read-back: is it what the caller meant?
            meant = "1 0 0 0 0 2" in text.replace(",", "")
            actions = call.send("dtmf", digits="1" if meant else "2")
            continue
        if re.search(r"key in the 6 digits|键盘输入订单号", text):
            keypad = True
            actions = call.send("dtmf", digits=ORDER[-6:] + "#")
            continue
        if task == "order" and number and re.search(r"order number|订单号", text) and attempts:
            utterance = number
        elif attempts < len(phrasings):
            utterance = phrasings[attempts]
            attempts += 1
        else:
            break
        transcript = hear(utterance)
        actions = call.send("speech", text=transcript, confidence=0.9) if transcript.strip() \
            else call.send("no_match")
    call.send("hangup")
    return {"task": task, "first": first, "success": success, "turns": turns, "keypad": keypad,
            "timings": call.timings}


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"n": len(values), "p50_ms": round(statistics.median(values) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def run() -> dict:
    if not MODEL.exists():
        raise SystemExit("models/current.tar.gz is missing: run `make train` first")
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is missing: `make espeak-deps` installs it")
    from bot.storage.seed import seed_demo_orders
    from bot.storage.uow import SqlAlchemyUnitOfWork

    results: dict = {"measured_at": time.strftime("%Y-%m-%d"), "cpu_cores": os.cpu_count(),
                     "recogniser": "pocketsphinx 5.1.1, en-us acoustic model, en-us.lm.bin general LM",
                     "tts": "espeak-ng " + " ".join(ESPEAK)}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'bot.db'}"
        os.environ["DATABASE_URL"] = url
        from bot.storage.schema import upgrade

        upgrade(url)  # migrations before anything opens the database (make migrate)
        seed_demo_orders(SqlAlchemyUnitOfWork())
        with SqlAlchemyUnitOfWork() as uow:
            uow.agents.upsert("bench", "bench-pass-1", "Bench Agent", "agent")
            uow.commit()
        servers = Servers(workdir, url)
        servers.env["IVR_SECRET"] = IVR_SECRET
        servers.start()
        servers.login("bench", "bench-pass-1")  # an agent online: a hand-over is a transfer
        recogniser = Recogniser(workdir)
        transcripts: list[dict] = []

        def hear_en(text: str) -> str:
            hyp = recogniser(text)
            transcripts.append({"said": text, "heard": hyp})
            return hyp

        try:
            for lang, callers, hear in (("en", EN_CALLERS, hear_en), ("zh", ZH_CALLERS, lambda text: text)):
                runs = [run_task(servers, lang, i, *caller, hear=hear) for i, caller in enumerate(callers)]
                entry: dict = {"tasks": {}}
                for task in ("order", "handover", "reset"):
                    mine = [r for r in runs if r["task"] == task]
                    entry["tasks"][task] = {
                        "callers": len(mine), "success": sum(r["success"] for r in mine),
                        "success_rate": round(sum(r["success"] for r in mine) / len(mine), 3),
                        "turns_mean": round(statistics.mean(r["turns"] for r in mine), 2),
                        "keypad_used": sum(r["keypad"] for r in mine),
                    }
                entry["response_time"] = summary([t for r in runs for t in r["timings"]])
                entry["runs"] = [{k: v for k, v in r.items() if k != "timings"} for r in runs]
                results[lang] = entry
        finally:
            servers.stop()
    edits = [word_errors(t["said"], t["heard"]) for t in transcripts]
    results["en"]["wer"] = round(sum(e for e, _ in edits) / max(1, sum(n for _, n in edits)), 3)
    results["en"]["transcripts"] = transcripts
    results["zh"]["transcripts"] = "hand-written, recogniser-style (bench/voice.py ZH_CALLERS)"
    return results


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    results = run()
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"English WER (espeak-ng → pocketsphinx): {results['en']['wer']:.3f}")
    for lang in ("en", "zh"):
        for task, t in results[lang]["tasks"].items():
            print(f"{lang} {task:9} success {t['success']}/{t['callers']}  turns {t['turns_mean']}  "
                  f"keypad {t['keypad_used']}")
        rt = results[lang]["response_time"]
        print(f"{lang} bridge response per event p50 {rt['p50_ms']} ms, p95 {rt['p95_ms']} ms (n={rt['n']})")
    print(f"written to {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
