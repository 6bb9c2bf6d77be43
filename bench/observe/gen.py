#!/usr/bin/env python3
"""Opens COUNT new UDP flows from this pod to TARGET at about RATE per second, each a new conntrack entry: 64
sockets (64 source ports) times destination ports 1024-65023, one datagram each. Prints the seconds it took."""
import socket, sys, time

target, count, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(64)]
for s in sockets:
    s.bind(("0.0.0.0", 0))
    s.setblocking(False)
payload = b"x"
start = time.monotonic()
sent = 0
batch = 500
while sent < count:
    n = min(batch, count - sent)
    for i in range(sent, sent + n):
        try:
            sockets[i % 64].sendto(payload, (target, 1024 + (i // 64) % 64000))
        except BlockingIOError:
            pass
    sent += n
    ahead = sent / rate - (time.monotonic() - start)
    if ahead > 0:
        time.sleep(ahead)
print(f"{time.monotonic() - start:.3f}")
