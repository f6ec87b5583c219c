#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random and adversarial writes to an ioasids.max file, each checked
against the documented parser: surrounding whitespace ignored, then "max"
or a decimal 0..1048576 (an optional sign); the string ends at the first
NUL (kernfs); more than a page is E2BIG; anything else is EINVAL and
leaves the limit as it was. Usage: fuzz-ioasids-max.py FILE COUNT SEED"""

import errno
import os
import random
import sys

path, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
CAP = 1 << 20
SPACE = b" \t\n\r\x0b\x0c\xa0"  # the kernel's isspace() in Latin-1


def expect(data):
    """(errno or 0, the value read back afterwards or None for unchanged)"""
    if len(data) > 4096:
        return errno.E2BIG, None
    s = data.split(b"\0", 1)[0].strip(SPACE)
    if s == b"max":
        return 0, "max"
    body = s[1:] if s[:1] in (b"+", b"-") else s
    if not body or not body.isdigit():
        return errno.EINVAL, None
    v = int(s)
    if v < 0 or v > CAP or v >= 2**63:
        return errno.EINVAL, None
    return 0, str(v)


def inputs(rng):
    fixed = [b"0", b"1048576", b"1048577", b"-0", b"+5", b"-1", b" 5\n", b"max\n", b"\tmax ",
             b"max\0junk", b"5\0", b"\0", b"9223372036854775807", b"9223372036854775808",
             b"-9223372036854775808", b"00000000000000000000012", b"1e3", b"0x10", b"5 5",
             b"ma x", b"MAX", b"\xa05\xa0", b"+", b"-", b"++1", b"max" * 1000,
             b"7" * 4095, b"7" * 4096, b"7" * 4097, b" " * 4000 + b"8", b"\n" * 10 + b"max"]
    for f in fixed:
        yield f
    alphabet = b"0123456789+-max \t\n\0\xa0xXeE.,"
    while True:
        kind = rng.randrange(4)
        if kind == 0:
            yield bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 40)))
        elif kind == 1:
            yield bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 24)))
        elif kind == 2:
            n = rng.choice([rng.randrange(0, 2 * CAP), rng.randrange(-5, 5), CAP + rng.randrange(-2, 3),
                            rng.randrange(2**62, 2**65)])
            pad = lambda: b"".join(rng.choice([b" ", b"\t", b"\n", b""]) for _ in range(rng.randrange(3)))
            yield pad() + str(n).encode() + pad()
        else:
            yield rng.choice([b"max", b"0", b"1"]) + bytes([rng.randrange(256)]) * rng.randrange(1, 3)


rng = random.Random(seed)
current = open(path).read().strip()
done = accepted = refused = 0
for data in inputs(rng):
    if done == count:
        break
    done += 1
    want_err, want_val = expect(data)
    fd = os.open(path, os.O_WRONLY)
    try:
        n = os.write(fd, data)
        err = 0 if n == len(data) else -1
    except OSError as e:
        err = e.errno
    finally:
        os.close(fd)
    got = open(path).read().strip()
    if want_val is not None:
        current = want_val
    if err != want_err or got != current:
        print("FAIL %r: errno %s (want %s), reads %r (want %r)" %
              (data[:60], err, want_err, got, current))
        sys.exit(1)
    if err:
        refused += 1
    else:
        accepted += 1
print("%d writes: %d accepted, %d refused as documented" % (done, accepted, refused))
