"""`hubsim serve`'s request log: one line per answer, and never a reason for an answer to wait."""

from __future__ import annotations

import io
import threading

from simulator.request_log import NOTE, RequestLog, format_line


def hello(environ, start_response):
    start_response("201 Created", [("Content-Type", "application/json")])
    return [b"{}"]


def call(app, path="/crm/v3/objects/contacts", note=None):
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path}
    if note is not None:
        environ[NOTE] = note
    answer = app(environ, lambda status, headers, exc_info=None: None)
    body = b"".join(answer)
    answer.close()  # what the server does once the answer is sent: the line is queued then
    return body


def test_a_line_names_method_path_status_time_portal_and_marks():
    assert format_line("POST", "/crm/v3/objects/contacts", "429", 0.0004, (7, "TEN_SECONDLY_ROLLING", None, False)) \
        == "POST /crm/v3/objects/contacts 429 0.4ms portal 7 throttled:TEN_SECONDLY_ROLLING"
    assert format_line("GET", "/cms/v3/pages", "404", 0.001, (7, None, None, True)) \
        == "GET /cms/v3/pages 404 1.0ms portal 7 notSimulated"
    assert format_line("GET", "/x", "502", 0.002, (7, None, "status", False)) \
        == "GET /x 502 2.0ms portal 7 fault:status"
    assert format_line("GET", "/_sim/health", "200", 0.0001, None) == "GET /_sim/health 200 0.1ms"


def test_the_log_writes_the_line_once_the_answer_is_closed():
    stream = io.StringIO()
    log = RequestLog(stream)
    assert call(log.wrap(hello), note=(3, None, None, False)) == b"{}"
    log.close()
    assert stream.getvalue().startswith("POST /crm/v3/objects/contacts 201 ")
    assert stream.getvalue().endswith("ms portal 3\n")


class StuckStream(io.StringIO):
    """A pipe nobody reads: writing blocks until released."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()

    def write(self, text):
        self.release.wait()
        return super().write(text)


def test_a_log_nobody_reads_drops_lines_instead_of_holding_answers():
    stream = StuckStream()
    log = RequestLog(stream, capacity=2)
    app = log.wrap(hello)
    answered = threading.Thread(target=lambda: [call(app, f"/r/{n}") for n in range(50)])
    answered.start()
    answered.join(timeout=10)
    assert not answered.is_alive()  # all 50 answered while the writer was stuck on the first line
    stream.release.set()
    log.close()
    written = stream.getvalue().splitlines()
    dropped = [int(line.split()[0][1:]) for line in written if line.endswith("dropped: the log was not being read)")]
    kept = [line for line in written if line.startswith("POST /r/")]
    assert dropped and sum(dropped) + len(kept) == 50  # one request thread: every drop is counted
