"""Baseline for `make bench ingest`: hl7apy 1.3.5's MLLPServer, parse + ACK built with hl7apy, no
storage. It closes the connection after each message (crs4/hl7apy#37), so the bench sends each
message on a new connection, as a sender would have to. Prints `listening on HOST:PORT`."""

from __future__ import annotations

import re
import signal
import threading
import uuid
import warnings

from hl7apy.core import Message
from hl7apy.mllp import AbstractHandler, MLLPServer
from hl7apy.parser import parse_message

warnings.simplefilter("ignore")


class OruHandler(AbstractHandler):
    def reply(self) -> str:
        text = re.sub(r"\r\n|\n|\r", "\r", self.incoming_message).strip("\r") + "\r"
        msg = parse_message(text, find_groups=False)
        ack = Message("ACK", version=msg.version or "2.5")
        ack.msh.msh_3 = "BEDSIDE"
        ack.msh.msh_5 = msg.msh.msh_3.value
        ack.msh.msh_9 = "ACK^R01^ACK"
        ack.msh.msh_10 = uuid.uuid4().hex[:20]
        ack.msa.msa_1 = "AA"
        ack.msa.msa_2 = msg.msh.msh_10.value
        return ack.to_mllp()


if __name__ == "__main__":
    server = MLLPServer("127.0.0.1", 0, {"ORU^R01^ORU_R01": (OruHandler,)}, timeout=10)
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop.wait()
    server.shutdown()
