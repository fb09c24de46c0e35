"""Debian's chromium driven by Python playwright, as the browser tests and the review
benchmarks launch it: the system binary (never a downloaded browser) and the flags this
machine's closed network needs. The `browser` fixture is in tests/conftest.py."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
