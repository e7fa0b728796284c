#!/usr/bin/python3
"""A real SMTP server for maillage's tests and benchmarks (aiosmtpd, Debian's
python3-aiosmtpd), listening on 127.0.0.1.

It prints one line per event on standard output, for the test that started it to read:
  listening PORT
  refused                      (answered 451 to a message, while --refuse-first lasts)
  accepted MESSAGE-ID RCPT     (a message taken; its whole text goes to --out if given)
"""

import argparse
import asyncio
import email
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, refuse_first, out_dir):
        self.refuse_left = refuse_first
        self.out_dir = out_dir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_left > 0:
            self.refuse_left -= 1
            print("refused", flush=True)
            return "451 4.3.0 Service temporarily unavailable, try again later"
        message = email.message_from_bytes(envelope.content)
        message_id = message.get("Message-ID", "-")
        self.count += 1
        if self.out_dir:
            path = os.path.join(self.out_dir, f"{self.count:06}.eml")
            with open(path, "wb") as out:
                out.write(envelope.content)
        print(f"accepted {message_id} {','.join(envelope.rcpt_tos)}", flush=True)
        return "250 2.0.0 OK"


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--refuse-first", type=int, default=0)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    handler = Handler(args.refuse_first, args.out)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.test", data_size_limit=1 << 20),
        host="127.0.0.1",
        port=args.port,
    )
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
