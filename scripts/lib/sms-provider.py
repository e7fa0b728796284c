#!/usr/bin/python3
"""A stand-in SMS provider for maillage's tests: no real provider can run here, so this
small HTTP server (Python's standard library) takes the JSON that maillage posts to the
provider it is configured with, as a provider's relay would, on 127.0.0.1.

It prints one line per event on standard output, for the test that started it to read:
  listening PORT
  refused                  (answered 503, while --refuse-first lasts)
  unauthorised             (a wrong bearer token: answered 401)
  sms TO TEXT              (a message taken; TEXT is the JSON string of its text)
"""

import json

from stand_in import StandIn, serve


def handler(token, refuse_first):
    state = {"refuse_left": refuse_first}

    class Handler(StandIn):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if self.headers.get("Authorization") != f"Bearer {token}":
                print("unauthorised", flush=True)
                return self.answer(401)
            if state["refuse_left"] > 0:
                state["refuse_left"] -= 1
                print("refused", flush=True)
                return self.answer(503)
            message = json.loads(body)
            text = json.dumps(message["text"], ensure_ascii=False)
            print(f"sms {message['to']} {text}", flush=True)
            return self.answer(200)

    return Handler


if __name__ == "__main__":
    serve(__doc__, handler)
