"""Masking by parsing (``common.masking``): passwords with ``@ : / % ? #`` and any script never
show, the parts support needs (scheme, host, port, path, ordinary parameters) always do, garbage
never raises, and masking twice changes nothing. One rule set for names and phone numbers."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from common.masking import (
    CREDENTIAL_PARAMS,
    mask_name,
    mask_phone,
    mask_text,
    mask_url,
    strip_url_credentials,
)

SCHEMES = ["rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "srt", "hls", "udp",
           "postgresql+psycopg"]
# Passwords: every character that breaks a naive pattern, letters of other scripts, digits.
PASSWORD_CHARS = st.sampled_from("@:/%?#&=;![]'\"*+ ") | st.characters(
    whitelist_categories=("Lu", "Ll", "Lo", "Nd"))
passwords = st.text(PASSWORD_CHARS, min_size=3, max_size=24).filter(lambda p: p.strip())
users = st.text(string.ascii_letters + string.digits + "._-", min_size=0, max_size=10)
hosts = st.one_of(
    st.from_regex(r"\A[a-z][a-z0-9-]{0,12}(\.[a-z][a-z0-9-]{0,8}){0,2}\Z"),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t))),
    st.just("[fe80::1]"),
    st.just("摄像头.厨房.cn"),
)
ports = st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}"))
paths = st.lists(st.from_regex(r"\A[A-Za-z0-9_.-]{1,12}\Z"), max_size=4).map(
    lambda parts: "".join("/" + p for p in parts))

SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _leaks(secret: str, shown: str, kept: str) -> list[str]:
    """Substrings of ``secret`` (length ≥ 3) in ``shown`` that the kept parts do not explain."""
    pieces = {secret[i:i + n] for n in range(3, len(secret) + 1)
              for i in range(len(secret) - n + 1)}
    return sorted(p for p in pieces if p in shown and p not in kept)


@SETTINGS
@given(scheme=st.sampled_from(SCHEMES), user=users, password=passwords, host=hosts,
       port=ports, path=paths)
@example(scheme="rtsp", user="admin", password="P@ss", host="host", port="", path="/x")
@example(scheme="rtsp", user="admin", password="12/3@4?5#6", host="10.1.2.3", port=":554",
         path="/Streaming/Channels/102")
@example(scheme="rtsp", user="admin", password="p%40ss:w/rd", host="cam", port=":554", path="")
def test_a_password_never_shows_and_the_address_keeps_its_parts(
        scheme: str, user: str, password: str, host: str, port: str, path: str) -> None:
    url = f"{scheme}://{user}:{password}@{host}{port}{path}"
    expected = f"{scheme}://***@{host}{port}{path}"
    shown = mask_url(url)
    assert shown == expected
    assert not _leaks(password, shown, expected)
    assert strip_url_credentials(url) == f"{scheme}://{host}{port}{path}"
    assert mask_url(shown) == shown


@SETTINGS
@given(host=hosts, path=paths, secret=passwords, name=st.sampled_from(sorted(CREDENTIAL_PARAMS)),
       upper=st.booleans(), other=st.from_regex(r"\A[a-z0-9]{1,8}\Z"))
@example(host="h", path="/live", secret="ab#cd&", name="pwd", upper=False, other="1")
def test_credential_parameters_are_masked_and_others_kept(
        host: str, path: str, secret: str, name: str, upper: bool, other: str) -> None:
    assume("&" not in secret.rstrip("&"))  # a raw '&' ends a query value by definition
    secret = secret.rstrip("&")
    assume(len(secret) >= 3)
    key = name.upper() if upper else name
    url = f"http://{host}{path}?channel={other}&{key}={secret}&subtype=1"
    shown = mask_url(url)
    assert shown == f"http://{host}{path}?channel={other}&{key}=***&subtype=1"
    assert not _leaks(secret, shown, f"http://{host}{path}?channel={other}&{key}=***&subtype=1")
    assert strip_url_credentials(url) == f"http://{host}{path}?channel={other}&subtype=1"


@pytest.mark.parametrize(("url", "shown"), [
    # The finding: a regex stopping at the first '@' showed rtsp://ss@host.
    ("rtsp://admin:P@ss@host/stream", "rtsp://***@host/stream"),
    ("rtsp://10.1.2.3:554/ch1?pwd=abc123", "rtsp://10.1.2.3:554/ch1?pwd=***"),
    ("http://cam/snap.jpg?user=admin&password=12345&res=1",
     "http://cam/snap.jpg?user=***&password=***&res=1"),
    ("https://cdn.example/x.m3u8?token=eyJhbGci.x&ts=1", "https://cdn.example/x.m3u8?token=***&ts=1"),
    ("https://s3.example/b/k.jpg?X-Amz-Signature=ab12&X-Amz-Expires=60",
     "https://s3.example/b/k.jpg?X-Amz-Signature=***&X-Amz-Expires=60"),
    ("rtmp://live.example/app/stream?streamKey=k-1234", "rtmp://live.example/app/stream?streamKey=***"),
    ("srt://10.0.0.9:9000?streamid=cam1&passphrase=longsecret1", "srt://10.0.0.9:9000?streamid=cam1&passphrase=***"),
    ("http://h/x#access_token=abc&state=1", "http://h/x#access_token=***&state=1"),
    # Xiongmai-style recorders carry the login in the path.
    ("rtsp://192.168.1.10:554/user=admin&password=12345&channel=1&stream=0.sdp",
     "rtsp://192.168.1.10:554/user=***&password=***&channel=1&stream=0.sdp"),
    ("rtsp://user@host/x", "rtsp://***@host/x"),
    ("rtsp://host/x", "rtsp://host/x"),
    ("udp://@239.0.0.1:1234", "udp://@239.0.0.1:1234"),
    ("file:///var/clips/a.ts", "file:///var/clips/a.ts"),
    ("/media/0a1b?sig=deadbeef&exp=99", "/media/0a1b?sig=***&exp=99"),
    ("postgresql+psycopg://kw:p%40ss@db:5432/kw", "postgresql+psycopg://***@db:5432/kw"),
    ("rtsp://u:p@[fe80::1]:554/x", "rtsp://***@[fe80::1]:554/x"),
    # No host can be found: everything after the scheme is hidden.
    ("rtsp://admin:pa ss@", "rtsp://***"),
    ("rtsp://u:p@host:notaport/x", "rtsp://***"),
])
def test_known_addresses(url: str, shown: str) -> None:
    assert mask_url(url) == shown
    assert mask_url(shown) == shown


@SETTINGS
@given(st.text(max_size=200) | st.binary(max_size=100).map(lambda b: b.decode("latin-1"))
       | st.from_regex(r"\A[a-z]{1,5}://[@:/?#%&=a-z0-9\[\]]{0,40}\Z"))
def test_garbage_never_raises_and_masking_is_idempotent(text: str) -> None:
    once = mask_url(text)
    assert mask_url(once) == once
    stripped = strip_url_credentials(text)
    assert isinstance(stripped, str)
    masked = mask_text(text)
    assert mask_text(masked) == masked


@pytest.mark.parametrize("value", [None, 12, b"rtsp://a:b@c/d"])
def test_non_text_input_does_not_raise(value: object) -> None:
    assert isinstance(mask_url(value), str) and isinstance(mask_text(value), str)


@SETTINGS
@given(p1=passwords, p2=passwords)
def test_a_log_line_with_two_addresses_masks_both(p1: str, p2: str) -> None:
    assume(not any(c.isspace() or c in "\"'<>`" for c in p1 + p2))  # an address ends there
    line = (f"2026-12-07 12:00:00 INFO kitchenwatch.wall: switching rtsp://admin:{p1}@10.0.0.7"
            f"/ch1 → http://op:{p2}@cam-2.local:8080/live.flv?token=t0ps3cret (retry 2)")
    shown = mask_text(line)
    assert shown == ("2026-12-07 12:00:00 INFO kitchenwatch.wall: switching rtsp://***@10.0.0.7"
                     "/ch1 → http://***@cam-2.local:8080/live.flv?token=*** (retry 2)")
    assert mask_text(shown) == shown


def test_text_secrets_outside_addresses() -> None:
    text = ("GET /api/ws?since=3&token=abcdef123 failed; body {\"username\": \"op\", "
            "\"password\": \"hunter\\\"22\"}; password=s3cr3t; Authorization: Bearer eyJ0eXAi.x.y "
            "user=op key=camera-7")
    shown = mask_text(text)
    for secret in ("abcdef123", "hunter", "s3cr3t", "eyJ0eXAi"):
        assert secret not in shown
    assert "since=3" in shown and "user=op" in shown and "key=camera-7" in shown
    assert '"username": "op"' in shown


def test_ffmpeg_style_message() -> None:
    message = "[rtsp @ 0x55d0] method DESCRIBE failed: 401 Unauthorized " \
              "rtsp://admin:Adm%40in:9@192.0.2.10:554/Streaming/Channels/102: Server returned 4XX"
    shown = mask_text(message)
    assert "Adm" not in shown
    assert "rtsp://***@192.0.2.10:554/Streaming/Channels/102: Server returned 4XX" in shown
    assert "[rtsp @ 0x55d0]" in shown


# -- personal data ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "shown"), [
    ("张建国", "张**"), ("张伟", "张*"), ("欧阳娜娜", "欧***"), ("张", "张*"), (" 李 ", "李*"),
    ("", ""), (None, ""), ("张**", "张**"),
])
def test_mask_name(name: str | None, shown: str) -> None:
    assert mask_name(name) == shown


@pytest.mark.parametrize(("phone", "shown"), [
    ("13812340000", "138****0000"), ("0477-8123456", "047*****3456"),
    ("+86 138 1234 0000", "+86**********0000"), ("81234567", "****4567"),
    ("8123456", "****456"), ("12345", "****5"), ("110", "***"), ("12", "**"), ("", ""),
    ("138****0000", "138****0000"),
])
def test_mask_phone(phone: str, shown: str) -> None:
    assert mask_phone(phone) == shown


@given(st.text(max_size=30))
def test_personal_masks_are_idempotent_and_hide_enough(value: str) -> None:
    name, phone = mask_name(value), mask_phone(value)
    assert mask_name(name) == name and mask_phone(phone) == phone
    digits = value.strip()
    if digits:
        assert "*" in name
        assert sum(c != "*" for c in phone) <= max(0, len(digits) - 4) or len(digits) >= 11


# -- one rule set, used everywhere ----------------------------------------------------------------

def test_every_layer_uses_the_one_rule_set() -> None:
    from central import scope
    from common import masking
    from videowall import source
    from widgets.models import masking as widget_masking

    assert widget_masking.mask_name is masking.mask_name
    assert widget_masking.mask_phone is masking.mask_phone
    assert scope.mask_name is masking.mask_name and scope.mask_phone is masking.mask_phone
    assert source.mask_url is masking.mask_url
    url = "rtsp://admin:P@ss@10.1.2.3/ch1?pwd=zz1"
    assert scope.mask_credentials(url) == mask_url(url) == "rtsp://***@10.1.2.3/ch1?pwd=***"
    assert scope.strip_credentials(url) == strip_url_credentials(url) == "rtsp://10.1.2.3/ch1"


def test_no_other_module_keeps_its_own_credential_pattern() -> None:
    """The old regexes (``[^/@\\s]+@`` after a scheme) stopped at the first '@'."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root))
                 for package in ("central", "console", "db", "videowall", "widgets", "simulator")
                 for path in (root / package).rglob("*.py")
                 if "[^/@" in path.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.parametrize("text", [
    "a]" * 50_000 + "=",
    '"password": "' + "\\" * 50_000,
    "'password': '" + "\\\\" * 25_000 + "x",
    "?a" * 50_000 + "=",
    "rtsp://" + "@a" * 50_000 + "!",
    "http://h/x?" + "&".join(f"a{i}=b" for i in range(20_000)) + "#frag",
])
def test_hostile_text_is_masked_in_linear_time(text: str) -> None:
    """Crash reports and log tails are masked whole: no input may make a pattern backtrack.
    (A quadratic or exponential pattern takes minutes on these 100 KB inputs.)"""
    import time

    started = time.process_time()
    mask_text(text)
    mask_url(text)
    assert time.process_time() - started < 2.0
