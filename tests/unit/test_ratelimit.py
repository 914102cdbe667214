"""Rate limiters, the login throttle, client addresses and their settings (bot/storage/ratelimit.py)."""
from types import SimpleNamespace

import pytest

from bot.storage.ratelimit import (CHARS_PER_REQUEST, LoginThrottle, TokenBucketLimiter, client_address, environ_address,
                           message_cost, parse_networks, resolve_address, retry_after_header)
from bot.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_the_limit_per_minute_then_says_how_long_to_wait():
    clock = Clock()
    limiter = TokenBucketLimiter(6, clock=clock)  # one every 10 s
    assert [limiter.hit("a") for _ in range(6)] == [0.0] * 6
    assert limiter.hit("a") == pytest.approx(10.0)
    assert limiter.hit("b") == 0.0  # keys are independent
    clock.now += 10
    assert limiter.hit("a") == 0.0
    assert limiter.hit("a") == pytest.approx(10.0)


def test_a_long_message_spends_more_of_the_bucket():
    """Session 42: a 4,000-character message holds a server's thread about 0.3-0.45 s, so it counts as 8 requests."""
    assert [message_cost(t) for t in (None, "", "hi", "x" * CHARS_PER_REQUEST, "x" * (CHARS_PER_REQUEST + 1), "x" * 4000)] \
        == [1.0, 1.0, 1.0, 1.0, 2.0, 8.0]
    # the metadata a client sends counts too: the card masking reads every value of it (helper-206: 16 KB of digit
    # groups in one value held the thread about a second for one request)
    assert message_cost("hi", {"x": "12345/" * 2700}) == 33.0 and message_cost("hi", {}) == 1.0
    clock = Clock()
    limiter = TokenBucketLimiter(20, clock=clock)  # one every 3 s
    assert [limiter.hit("a", 8.0), limiter.hit("a", 8.0)] == [0.0, 0.0]
    assert limiter.hit("a", 8.0) == pytest.approx(12.0)  # 4 left: 4 more to come, 3 s each
    assert limiter.hit("a") == 0.0 and limiter.hit("a", 3.0) == 0.0  # short ones go on while there are tokens
    clock.now += 24  # 8 tokens back
    assert limiter.hit("a", 8.0) == 0.0
    tiny = TokenBucketLimiter(2, clock=clock)  # a cost above the bucket's size asks for the whole bucket, never more
    assert tiny.hit("b", 8.0) == 0.0 and tiny.hit("b") == pytest.approx(30.0)


def test_refused_hits_are_not_counted_and_wait_only_looks():
    clock = Clock()
    limiter = TokenBucketLimiter(1, clock=clock)
    assert limiter.hit("a") == 0.0
    for _ in range(50):
        limiter.hit("a")
    assert limiter.wait("a") == pytest.approx(60.0)
    clock.now += 60
    assert limiter.wait("a") == 0.0 and limiter.wait("a") == 0.0
    assert limiter.hit("a") == 0.0


def test_bucket_memory_is_bounded():
    limiter = TokenBucketLimiter(5, max_keys=100, clock=Clock())
    for i in range(10_000):
        limiter.hit(f"address-{i}")
    assert len(limiter) == 100


def test_zero_disables_a_limit():
    limiter = TokenBucketLimiter(0, clock=Clock())
    assert all(limiter.hit("a") == 0.0 for _ in range(1000))


def test_login_backoff_grows_exponentially_and_is_capped():
    clock = Clock()
    throttle = LoginThrottle(max_delay_s=30, free_failures=3, base_delay_s=1, clock=clock)
    delays = [throttle.failed("alice", "203.0.113.9") for _ in range(10)]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 16, 30, 30]
    assert throttle.wait("alice", "203.0.113.9") == 30
    clock.now += 30
    assert throttle.wait("alice", "203.0.113.9") == 0


def test_a_strangers_failures_do_not_block_the_agent_elsewhere_and_success_resets():
    clock = Clock()
    throttle = LoginThrottle(max_delay_s=60, clock=clock)
    for _ in range(20):
        throttle.failed("alice", "198.51.100.7")  # a stranger guessing alice's password
    assert throttle.wait("alice", "198.51.100.7") == 60
    assert throttle.wait("Alice", "198.51.100.7") == 60  # user names compare case-insensitively
    assert throttle.wait("alice", "203.0.113.9") == 0  # alice at her own address
    throttle.failed("alice", "203.0.113.9")
    throttle.succeeded("alice", "203.0.113.9")
    assert throttle.wait("alice", "203.0.113.9") == 0


def test_failures_are_forgotten_after_a_quiet_period():
    clock = Clock()
    throttle = LoginThrottle(max_delay_s=10, forget_after_s=300, clock=clock)
    for _ in range(5):
        throttle.failed("bob", "a")
    clock.now += 301
    assert throttle.failed("bob", "a") == 0  # counting starts again


def test_retry_after_is_whole_seconds_at_least_one():
    assert retry_after_header(0.01) == "1" and retry_after_header(9.2) == "10" and retry_after_header(30) == "30"


TRUSTED = parse_networks("10.0.0.0/8, 127.0.0.1, ::1")


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("198.51.100.7", None, "198.51.100.7"),                     # no proxy
    ("198.51.100.7", "1.2.3.4", "198.51.100.7"),                 # an untrusted peer cannot claim an address
    ("127.0.0.1", "203.0.113.9", "203.0.113.9"),                 # behind a trusted proxy
    ("127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),        # the client's own XFF entry is not believed
    ("127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"),       # two trusted proxies
    ("127.0.0.1", "10.1.2.3", "10.1.2.3"),                       # only proxies: the farthest
    ("127.0.0.1", "not-an-ip", "127.0.0.1"),                      # garbage: the proxy itself
    ("::1", "2001:db8::5", "2001:db8::5"),
    ("::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9"),          # IPv4-mapped peer
    (None, None, "unknown"),
])
def test_client_address_believes_x_forwarded_for_only_from_trusted_proxies(peer, forwarded, expected):
    assert resolve_address(peer, forwarded, TRUSTED) == expected


def test_without_trusted_proxies_the_header_is_ignored():
    assert resolve_address("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"


def test_client_address_of_a_request_and_of_a_socketio_environ():
    request = SimpleNamespace(ip="127.0.0.1", headers={"x-forwarded-for": "203.0.113.9"})
    assert client_address(request, TRUSTED) == "203.0.113.9"
    # engine.io's Sanic driver writes 127.0.0.1 as REMOTE_ADDR for everyone: use the socket's peer
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9",
               "sanic.request": SimpleNamespace(ip="198.51.100.7")}
    assert environ_address(environ, TRUSTED) == "198.51.100.7"


def test_trusted_proxies_and_limits_come_from_settings():
    settings = Settings.from_env({"TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1", "RATE_LIMIT_ADDRESS_PER_MIN": "500",
                                  "RATE_LIMIT_SENDER_PER_MIN": "50", "RATE_LIMIT_SESSIONS_PER_MIN": "5",
                                  "LOGIN_THROTTLE_MAX_DELAY_S": "30"})
    assert (settings.rate_limit_address_per_min, settings.rate_limit_sender_per_min,
            settings.rate_limit_sessions_per_min, settings.login_throttle_max_delay_s) == (500, 50, 5, 30.0)
    assert [str(n) for n in parse_networks(settings.trusted_proxies)] == ["10.0.0.0/8", "127.0.0.1/32"]
    defaults = Settings.from_env({})
    assert defaults.trusted_proxies is None and defaults.rate_limit_address_per_min == 120


@pytest.mark.parametrize("env, name", [
    ({"RATE_LIMIT_ADDRESS_PER_MIN": "lots"}, "RATE_LIMIT_ADDRESS_PER_MIN"),
    ({"RATE_LIMIT_SENDER_PER_MIN": "-1"}, "RATE_LIMIT_SENDER_PER_MIN"),
])
def test_bad_numbers_are_refused_naming_the_variable(env, name):
    with pytest.raises(ValueError, match=name):
        Settings.from_env(env)


def test_bad_trusted_proxy_is_refused_naming_the_entry():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'proxy.example.com'"):
        parse_networks("10.0.0.1, proxy.example.com")


def test_an_attempt_is_counted_before_the_check_so_parallel_guesses_get_one_try_per_window():
    import threading

    clock = Clock()
    throttle = LoginThrottle(max_delay_s=60, free_failures=3, base_delay_s=1, clock=clock)
    address = "198.51.100.7"

    def burst(n: int) -> list:
        results, start = [], threading.Barrier(n)

        def one():
            start.wait()
            results.append(throttle.attempt("alice", address))

        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    fresh = burst(40)  # the free failures, then the one that starts the block
    allowed = sorted(blocked for wait, blocked in fresh if wait == 0)
    assert allowed == [0, 0, 0, 1] and sum(1 for wait, _ in fresh if wait > 0) == 36
    clock.now += 1  # the block ends: 40 at once, one is checked
    again = burst(40)
    assert [blocked for wait, blocked in again if wait == 0] == [2]
    clock.now += 2
    assert throttle.attempt("alice", address) == (0.0, 4)
    throttle.succeeded("alice", address)  # the right password clears everything
    assert throttle.attempt("alice", address) == (0.0, 0.0)


# --- issue: haproxy's `option forwardfor` appends a second X-Forwarded-For line ------------
# Sanic's headers.get() returns the FIRST line, the one the client wrote; every line counts.

def _request(peer, *xff_lines):
    from sanic.compat import Header

    return SimpleNamespace(ip=peer, headers=Header([("X-Forwarded-For", line) for line in xff_lines]))


def test_two_header_lines_the_proxy_line_wins_over_the_client_line():
    # the client wrote "6.6.6.6"; haproxy (127.0.0.1, trusted) appended the real peer on its own line
    assert client_address(_request("127.0.0.1", "6.6.6.6", "203.0.113.9"), TRUSTED) == "203.0.113.9"


def test_spoofed_left_most_values_in_several_lines_are_never_believed():
    # an attacker rotating fake addresses (or writing the agent's own) gets one address: its real one
    for spoof in ("1.1.1.1", "192.0.2.44, 10.9.9.9", "127.0.0.1", "2001:db8::1, 203.0.113.200"):
        assert client_address(_request("127.0.0.1", spoof, "198.51.100.23"), TRUSTED) == "198.51.100.23"


def test_an_untrusted_direct_peer_ignores_every_forwarded_line():
    assert client_address(_request("198.51.100.7", "1.2.3.4", "10.0.0.1"), TRUSTED) == "198.51.100.7"
    assert client_address(_request("198.51.100.7", "1.2.3.4"), TRUSTED) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_over_several_lines():
    # client -> 10.1.1.1 (TLS proxy) -> 127.0.0.1 (haproxy): 10.1.1.1 wrote the client, haproxy wrote 10.1.1.1
    assert client_address(_request("127.0.0.1", "6.6.6.6, 203.0.113.9", "10.1.1.1"), TRUSTED) == "203.0.113.9"
    # a client that put a trusted-looking address right before its own cannot hide behind it
    assert client_address(_request("127.0.0.1", "10.2.2.2", "203.0.113.9"), TRUSTED) == "203.0.113.9"

