#!/usr/bin/python3
"""A stand-in for the SAS platform's FHIR server in maillage's tests: the real one cannot
run here, so this small HTTP server (Python's standard library) takes the appointments
maillage sends as the ANS guide has the SAS take them (flow INT_R03): create with
POST /Appointment (201 and a Location), update with PUT /Appointment?identifier=SYSTEM|VALUE
(200, or 201 when nothing matched), on 127.0.0.1. A create whose identifier is already
known is refused (422), as a duplicate.

It prints one line per event on standard output, for the test that started it to read:
  listening PORT
  refused                      (answered 503, while --refuse-first lasts)
  unauthorised                 (a wrong bearer token: answered 401)
  unsupported TYPE             (a body not sent as FHIR JSON: answered 415)
  duplicate IDENTIFIER         (a create of an identifier already known: answered 422)
  create IDENTIFIER JSON       (an appointment created; JSON is its body on one line)
  update IDENTIFIER JSON       (an appointment updated through its identifier)
"""

import json
from urllib.parse import parse_qs, urlsplit

from stand_in import StandIn, serve


def handler(token, refuse_first):
    state = {"refuse_left": refuse_first, "stored": {}}

    class Handler(StandIn):
        def take(self):
            """The appointment sent, or None once an answer was given."""
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if self.headers.get("Authorization") != f"Bearer {token}":
                print("unauthorised", flush=True)
                return self.outcome(401, "jeton invalide")
            kind = self.headers.get("Content-Type", "")
            if kind.split(";")[0] not in ("application/fhir+json", "application/json+fhir"):
                print(f"unsupported {kind}", flush=True)
                return self.outcome(415, "FHIR JSON attendu")
            if state["refuse_left"] > 0:
                state["refuse_left"] -= 1
                print("refused", flush=True)
                return self.outcome(503, "indisponible")
            return json.loads(body)

        def do_POST(self):
            if urlsplit(self.path).path != "/fhir/Appointment":
                return self.outcome(404, "inconnu")
            appointment = self.take()
            if appointment is None:
                return
            first = appointment["identifier"][0]
            key = f"{first['system']}|{first['value']}"
            if key in state["stored"]:
                print(f"duplicate {key}", flush=True)
                return self.outcome(422, "rendez-vous déjà créé")
            state["stored"][key] = len(state["stored"]) + 1
            print(f"create {key} {json.dumps(appointment, ensure_ascii=False)}", flush=True)
            self.created(201, state["stored"][key])

        def do_PUT(self):
            url = urlsplit(self.path)
            keys = parse_qs(url.query).get("identifier", [])
            if url.path != "/fhir/Appointment" or len(keys) != 1:
                return self.outcome(400, "identifier attendu")
            appointment = self.take()
            if appointment is None:
                return
            key = keys[0]
            status = 200 if key in state["stored"] else 201
            state["stored"].setdefault(key, len(state["stored"]) + 1)
            print(f"update {key} {json.dumps(appointment, ensure_ascii=False)}", flush=True)
            self.created(status, state["stored"][key])

        def created(self, status, number):
            self.answer(status, headers=[("Location", f"/fhir/Appointment/{number}")])

        def outcome(self, status, text):
            self.answer(status, {"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "processing", "diagnostics": text}]})
            return None

    return Handler


if __name__ == "__main__":
    serve(__doc__, handler)
