"""Callers of one key share one running computation; other keys run beside it."""

from __future__ import annotations

import threading
import time

import pytest

from lagebild.web.flight import SingleFlight


def test_concurrent_callers_of_one_key_share_one_call():
    flights: SingleFlight[int] = SingleFlight()
    calls = []
    gate = threading.Event()

    def build() -> int:
        calls.append(1)
        gate.wait(5)
        return 42

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(flights.run("s.html", build)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    time.sleep(0.2)
    assert flights.run("other", lambda: 7) == 7  # another key is not held up
    gate.set()
    for t in threads:
        t.join(5)
    assert results == [42] * 6
    assert len(calls) == 1
    assert flights.run("s.html", lambda: 43) == 43  # done calls are not remembered


def test_an_error_reaches_every_waiting_caller():
    flights: SingleFlight[int] = SingleFlight()
    gate = threading.Event()
    errors: list[BaseException] = []

    def fail() -> int:
        gate.wait(5)
        raise ValueError("broken story")

    def call() -> None:
        try:
            flights.run("k", fail)
        except ValueError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert len(errors) == 3
    with pytest.raises(KeyError):
        flights.run("k", lambda: {}["x"])
