"""A real SMTP server for tests (aiosmtpd, Debian's python3-aiosmtpd; run with /usr/bin/python3).

usage: smtp_sink.py MODE PORT OUTDIR [CERT KEY]
  MODE: plain | auth (AUTH required, login ci-user / ci-pass, over plain text) |
        starttls (STARTTLS required) | tls (TLS from the first byte)
Each accepted message is parsed and written to OUTDIR/<n>.json: subject, from, to, the raw
headers and every MIME part (content type and decoded text). Prints "ready" when it listens.
"""
import email
import email.policy
import json
import os
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERS = {b"ci-user": b"ci-pass"}


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                parts.append({"contentType": part.get_content_type(), "text": None})
            else:
                parts.append({"contentType": part.get_content_type(), "text": part.get_content()})
        record = {
            "subject": str(msg["subject"]),
            "from": str(msg["from"]),
            "to": envelope.rcpt_tos,
            "contentType": msg.get_content_type(),
            "parts": parts,
        }
        with self.lock:
            self.count += 1
            n = self.count
        path = os.path.join(self.outdir, f"{n}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and USERS.get(auth_data.login) == auth_data.password
    # handled=False makes aiosmtpd answer a failed AUTH with 535 (with True it answers nothing).
    return AuthResult(success=ok, handled=False)


def main():
    mode, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    kwargs = {}
    if mode in ("starttls", "tls"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[4], sys.argv[5])
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context)
    if mode == "auth":
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    ctrl = Controller(Sink(outdir), hostname="127.0.0.1", port=port, **kwargs)
    ctrl.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # the test closes stdin (or dies) to stop the server
    finally:
        ctrl.stop()


if __name__ == "__main__":
    main()
