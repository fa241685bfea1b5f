"""A blocking MLLP client: send a message, wait for its ACK. Used by the simulator, the CLI and tests.

Reads until FS CR, never assuming one recv() is one reply (python-hl7#44).
"""

from __future__ import annotations

import socket
import ssl

from bedside_adapters.mllp.framing import END, Frame, MllpDecoder, frame


class MllpError(ConnectionError):
    pass


class MllpClient:
    def __init__(
        self, host: str, port: int, timeout: float = 10.0, tls: ssl.SSLContext | None = None
    ) -> None:
        self._address = (host, port)
        self._tls = tls
        self._timeout = timeout
        self._sock: socket.socket | None = None
        self._decoder = MllpDecoder()
        self._replies: list[bytes] = []

    def connect(self) -> MllpClient:
        sock = socket.create_connection(self._address, timeout=self._timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self._address[0])
        self._sock = sock
        return self

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> MllpClient:
        return self.connect() if self._sock is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are (tests use it for split frames, garbage, pipelining)."""
        if self._sock is None:
            self.connect()
        assert self._sock is not None
        self._sock.sendall(data)

    def send(self, message: bytes | str) -> bytes:
        """Send one message and return its reply payload (unframed)."""
        payload = message.encode("utf-8") if isinstance(message, str) else message
        self.send_raw(frame(payload))
        return self.receive()

    def receive(self) -> bytes:
        """The next reply payload; raises MllpError when the peer closes or times out first."""
        assert self._sock is not None or self.connect()
        while not self._replies:
            try:
                data = self._sock.recv(65536)  # type: ignore[union-attr]
            except TimeoutError as exc:
                raise MllpError(f"no reply within {self._timeout} s") from exc
            if not data:
                raise MllpError("the listener closed the connection without a reply")
            self._replies.extend(e.payload for e in self._decoder.feed(data) if isinstance(e, Frame))
        return self._replies.pop(0)


def ack_fields(reply: bytes) -> tuple[str, str]:
    """(MSA-1, MSA-2) of a reply payload."""
    for segment in reply.replace(END, b"").decode("utf-8", "replace").split("\r"):
        if segment.startswith("MSA|"):
            fields = segment.split("|")
            return (fields[1] if len(fields) > 1 else "", fields[2] if len(fields) > 2 else "")
    return ("", "")
