"""``--tls-cert``/``--tls-key``: central serves HTTPS and WSS, announces an https URL, and a
client that does not trust the certificate is refused by its own TLS check."""

from __future__ import annotations

import asyncio
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from central.demo_registry import DEMO_PASSWORD


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (openssl is part of every Debian install)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def _central(tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "central", "--port", "0", "--db",
         f"sqlite:///{tmp_path / 'central.db'}", "--media-dir", str(tmp_path / "media"),
         "--log-level", "WARNING", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def tls_central(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    cert, key = _self_signed(tmp_path)
    proc = _central(tmp_path, "--demo-registry", "--businesses", "2",
                    "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("KITCHENWATCH_CENTRAL_URL="), proc.stderr.read()  # type: ignore
        yield line.strip().split("=", 1)[1], cert
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0


async def test_https_and_wss_with_the_certificate(tls_central: tuple[str, Path]) -> None:
    url, cert = tls_central
    assert url.startswith("https://127.0.0.1:")
    trusting = ssl.create_default_context(cafile=str(cert))
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/api/health", ssl=trusting) as resp:
            assert resp.status == 200 and (await resp.json())["status"] == "ok"
        async with http.post(f"{url}/api/login", ssl=trusting, json={
                "username": "operator", "password": DEMO_PASSWORD}) as resp:
            token = (await resp.json())["token"]
        wss = url.replace("https://", "wss://")
        async with http.ws_connect(f"{wss}/api/ws?token={token}", ssl=trusting) as ws:
            async with asyncio.timeout(15):
                while (await ws.receive_json())["type"] != "hello":
                    pass


async def test_a_client_that_does_not_trust_the_certificate_is_refused(
        tls_central: tuple[str, Path]) -> None:
    url, _ = tls_central
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            async with http.get(f"{url}/api/health"):  # the system's trust store
                pass
        plain = url.replace("https://", "http://")
        with pytest.raises(aiohttp.ClientError):  # plain HTTP is not answered
            async with http.get(f"{plain}/api/health") as resp:
                await resp.read()


@pytest.mark.parametrize(("options", "message"), [
    (["--tls-cert", "cert.pem"], "--tls-cert and --tls-key go together"),
    (["--tls-cert", "missing.pem", "--tls-key", "missing.pem"], "cannot use --tls-cert"),
    (["--trusted-proxy", "10.0.0.0/33"], "'10.0.0.0/33' is not an IP address or CIDR"),
])
def test_bad_security_options_are_refused_with_a_reason(tmp_path: Path, options: list[str],
                                                        message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "central", "--port", "0", "--db",
         f"sqlite:///{tmp_path / 'central.db'}", *options],
        capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
