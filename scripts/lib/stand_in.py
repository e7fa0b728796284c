"""What the tests' stand-in HTTP servers share (Python's standard library): their command
line (the bearer token they expect, how many first calls they refuse), the line
`listening PORT` they print first, and their JSON answers."""

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class StandIn(BaseHTTPRequestHandler):
    """A handler that answers JSON and stays quiet on standard error."""

    def answer(self, status, body=None, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(json.dumps(body if body is not None else {}).encode())

    def log_message(self, *args):
        pass


def serve(description, handler):
    """Reads `--token` and `--refuse-first`, and serves `handler(token, refuse_first)` on
    127.0.0.1 at a free port until interrupted."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--token", required=True)
    parser.add_argument("--refuse-first", type=int, default=0)
    args = parser.parse_args()
    server = HTTPServer(("127.0.0.1", 0), handler(args.token, args.refuse_first))
    print(f"listening {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
