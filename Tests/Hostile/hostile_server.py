#!/usr/bin/env python3
"""A deliberately hostile chat-completions server for glmwb's fault tests (loopback only).

Each fault has its own base URL: http://127.0.0.1:PORT/FAULT/v1, so one server serves a whole
suite. It prints its port on the first line of stdout and serves until killed. Every response is
bounded in size and time, so a client that does not defend itself still ends.
"""
import json
import os
import threading
import socketserver
import sys
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK_ID = "chatcmpl-hostile"


def chunk(delta=None, finish=None, usage=None, choices=None):
    o = {"id": CHUNK_ID, "created": 1, "model": "glm-4-32b-0414-128k"}
    if choices is not None:
        o["choices"] = choices
    else:
        o["choices"] = [{"index": 0, "delta": delta or {}, **({"finish_reason": finish} if finish else {})}]
    if usage is not None:
        o["usage"] = usage
    return "data: " + json.dumps(o, ensure_ascii=False) + "\n\n"


def body(content="Hello.", usage=None, tool_calls=None):
    msg = {"role": "assistant", "content": content}
    if tool_calls:
        msg["tool_calls"] = tool_calls
    o = {"id": CHUNK_ID, "created": 1, "model": "glm-4-32b-0414-128k",
         "choices": [{"index": 0, "finish_reason": "stop", "message": msg}]}
    if usage is not None:
        o["usage"] = usage
    return json.dumps(o, ensure_ascii=False)


HUGE = 9223372036854775807
ENDLESS_SENT = [None]  # bytes the last endless_after_event response sent before the client left
USAGES = {
    "usage_huge": {"prompt_tokens": HUGE, "completion_tokens": HUGE},
    "usage_negative": {"prompt_tokens": -100, "completion_tokens": -999999999, "total_tokens": -1000000099},
    "usage_mismatch": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 1000},
    "usage_float": {"prompt_tokens": 1e30, "completion_tokens": 3},
}

ESCAPES = "Hi \x1b]52;c;cHduZWQ=\x07 there \x1b[2J\x1b]0;pwned\x07 end\r overwritten \x9b31m C1"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, payload, ctype="application/json", headers=()):
        data = payload.encode() if isinstance(payload, str) else payload
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def sse_head(self, extra=()):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream;charset=UTF-8")
        self.send_header("Connection", "close")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.close_connection = True

    def sse(self, events):
        self.sse_head()
        for e in events:
            self.wfile.write(e.encode())
            self.wfile.flush()

    def do_GET(self):
        if self.path.startswith("/stats"):
            self.send(200, json.dumps({"endless_sent": ENDLESS_SENT[0]}))
            return
        self.send(405, '{"error":{"code":"405","message":"GET after a redirect: the body was lost"}}')

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        req = json.loads(self.rfile.read(n) or b"{}")
        stream = bool(req.get("stream"))
        fault = self.path.strip("/").split("/")[0]
        try:
            getattr(self, "fault_" + fault)(req, stream)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- numbers --------------------------------------------------------------------------
    def usage_fault(self, name, stream):
        u = USAGES[name]
        if stream:
            self.sse([chunk({"role": "assistant", "content": "Hello"}), chunk({"content": " world."}),
                      chunk({}, "stop", usage=u), "data: [DONE]\n\n"])
        else:
            self.send(200, body("Hello world.", usage=u))

    def fault_usage_huge(self, req, stream): self.usage_fault("usage_huge", stream)
    def fault_usage_negative(self, req, stream): self.usage_fault("usage_negative", stream)
    def fault_usage_mismatch(self, req, stream): self.usage_fault("usage_mismatch", stream)
    def fault_usage_float(self, req, stream): self.usage_fault("usage_float", stream)

    # -- memory ---------------------------------------------------------------------------
    def fault_endless_line(self, req, stream):
        """One data: line that never ends: 160 MiB of 'a', then the connection closes."""
        self.sse_head()
        self.wfile.write(b'data: {"choices":[{"delta":{"content":"')
        block = b"a" * (1 << 20)
        for _ in range(160):
            self.wfile.write(block)

    def fault_endless_after_event(self, req, stream):
        """A valid chunk, then in the same write an endless line (up to 2 GiB). The bytes sent are
        counted, so a test can tell a client that stopped reading from one that read it all."""
        self.sse_head()
        sent = 0
        first = (chunk({"role": "assistant", "content": "Hello"}) + 'data: {"choices":[{"delta":{"content":"').encode()
        block = b"a" * (1 << 20)
        try:
            self.wfile.write(first + block)
            sent += len(first) + len(block)
            for _ in range(2047):
                self.wfile.write(block)
                sent += len(block)
        finally:
            ENDLESS_SENT[0] = sent

    def fault_gzip_bomb(self, req, stream):
        """A gzip body that inflates to one endless data: line (up to 4 GiB)."""
        self.sse_head(extra=[("Content-Encoding", "gzip")])
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        self.wfile.write(z.compress(b'data: {"choices":[{"delta":{"content":"'))
        block = b"a" * (1 << 20)
        for _ in range(4096):
            out = z.compress(block)
            if out:
                self.wfile.write(out)
        self.wfile.write(z.flush())

    def fault_big_error(self, req, stream):
        """A 500 whose body is 12 MB."""
        self.send(500, '{"error":{"code":"500","message":"' + "x" * (12 << 20) + '"}}')

    # -- protocol -------------------------------------------------------------------------
    def fault_redirect(self, req, stream):
        port = self.server.server_address[1]
        self.send(301, "", headers=[("Location", f"http://127.0.0.1:{port}/elsewhere/v1/chat/completions")])

    def fault_control_chars(self, req, stream):
        call = {"index": 0, "id": "call_1", "type": "function",
                "function": {"name": "get_weather", "arguments": json.dumps({"city": "\x1b[2JParis"})}}
        if stream:
            self.sse([chunk({"role": "assistant", "content": ESCAPES}), chunk({}, "stop", usage={"prompt_tokens": 5, "completion_tokens": 9}),
                      "data: [DONE]\n\n"])
        else:
            self.send(200, body(ESCAPES, usage={"prompt_tokens": 5, "completion_tokens": 9}))

    def fault_control_error(self, req, stream):
        self.send(400, json.dumps({"error": {"code": "1214", "message": "bad \x1b]0;pwned\x07 field"}}))

    def fault_empty_data(self, req, stream):
        self.sse([chunk({"role": "assistant", "content": "Hello"}), "data:\n\n", "data: \n\n", chunk({"content": " world."}),
                  chunk({}, "stop", usage={"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}), "data: [DONE]\n\n"])

    def fault_choices_object(self, req, stream):
        self.sse([chunk({"role": "assistant", "content": "Hello"}), chunk(choices={"index": 0, "delta": {"content": "X"}}),
                  chunk({}, "stop", usage={"prompt_tokens": 5, "completion_tokens": 3}), "data: [DONE]\n\n"])

    def fault_delta_string(self, req, stream):
        self.sse([chunk({"role": "assistant", "content": "Hello"}), chunk(choices=[{"index": 0, "delta": "X"}]),
                  chunk({}, "stop", usage={"prompt_tokens": 5, "completion_tokens": 3}), "data: [DONE]\n\n"])

    def fault_json_error_200(self, req, stream):
        self.send(200, '{"error":{"code":"1214","message":"messages: invalid"}}')

    def fault_stall_after_headers(self, req, stream):
        self.sse_head()
        self.wfile.flush()
        time.sleep(30)

    def fault_never_answers(self, req, stream):
        time.sleep(30)
        self.close_connection = True

    def fault_retry_after_huge(self, req, stream):
        self.send(429, '{"error":{"code":"1302","message":"slow down"}}', headers=[("Retry-After", "3600")])

    def fault_should_retry_false(self, req, stream):
        self.send(500, '{"error":{"code":"500","message":"boom"}}', headers=[("x-should-retry", "false")])

    def fault_ok(self, req, stream):
        if stream:
            self.sse([chunk({"role": "assistant", "content": "Hello"}), chunk({"content": " world."}),
                      chunk({}, "stop", usage={"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}), "data: [DONE]\n\n"])
        else:
            self.send(200, body("Hello world.", usage={"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def exit_with_parent():
    """The server lives as long as its parent holds our stdin open: a test process that dies
    never leaves it behind (nor a pipe that keeps a test runner waiting)."""
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)


if __name__ == "__main__":
    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    if "--until-stdin-closes" in sys.argv:
        threading.Thread(target=exit_with_parent, daemon=True).start()
    srv.serve_forever()
