"""A real SMTP server on localhost (aiosmtpd), scripted per recipient to misbehave.

Each recipient address can be given a list of actions, used one per delivery attempt:
``"451 4.3.0 Try again later"`` (any reply code), ``"drop"`` (close the connection without a
reply), ``"hang"`` (never answer) or ``"ok"``. With no script left, a message is accepted.
Accepted messages are counted by Message-ID, so tests can check exactly-once at the server.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class ScriptedHandler:
    scripts: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    accepted: list[Message] = field(default_factory=list)
    by_message_id: Counter[str] = field(default_factory=Counter)
    attempts: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    release: asyncio.Event | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, address: str, *actions: str) -> None:
        self.scripts[address.lower()].extend(actions)

    async def handle_EHLO(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        address = envelope.rcpt_tos[0].lower()
        with self.lock:
            self.attempts[address] += 1
            script = self.scripts.get(address)
            action = script.popleft() if script else "ok"
        if action == "drop":
            server.transport.abort()
            return "421 gone"  # never reaches the client
        if action == "hang":
            if self.release is None:
                self.release = asyncio.Event()
            await self.release.wait()
            return "451 4.4.2 Timed out"
        if action != "ok":
            return action
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.accepted.append(message)
            self.by_message_id[str(message["Message-ID"])] += 1
        return "250 2.0.0 Accepted"

    @property
    def duplicates(self) -> dict[str, int]:
        return {mid: n for mid, n in self.by_message_id.items() if n > 1}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[ScriptedHandler, int]]:
    """Run the scripted server on a free localhost port for the block."""
    handler = ScriptedHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield handler, port
    finally:
        if handler.release is not None:
            controller.loop.call_soon_threadsafe(handler.release.set)
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP listener that accepts connections and never says a word (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        listener.close()
