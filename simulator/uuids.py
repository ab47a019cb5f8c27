"""Random version-4 UUIDs without a system call: correlation ids, and the ids of occurrences sent without a uuid.

`uuid.uuid4()` reads `os.urandom`, a system call during which CPython lets other threads run. Made under the portal
lock, as an event send's id was, that hand-over is a convoy: the other request threads run on until each queues on
the lock, and every release then costs context switches. Over a socket, event send ran at 63% of the bare-Flask
ceiling with `uuid4()` there and at 82% without. So hubsim keeps its own generator, seeded once from the OS: its ids
carry 122 random bits, as unique as `uuid4()`'s; none of them is a secret.
"""

from __future__ import annotations

from random import Random

_RANDOM = Random()  # seeded from the OS; whoever seeds the global `random` repeats nothing here
_UUID4_MASK = ~(0xF000 << 64 | 0xC000 << 48) & (1 << 128) - 1  # clears the version and variant bits
_UUID4_BITS = 0x4000 << 64 | 0x8000 << 48  # version 4, RFC 4122 variant


def random_uuid() -> str:
    value = f"{_RANDOM.getrandbits(128) & _UUID4_MASK | _UUID4_BITS:032x}"
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
