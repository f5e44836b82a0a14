#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""find-vtl1-key.py DUMP MSG_HEX MAC_HEX [KNOWN_HEX...]

The host half of tests/integration/vtl1-secret.sh, run by scripts/testbed
--mem-hook (docs/testbed.md "Memory inspection") on a dump of all guest RAM
(file offset = guest-physical address) while the guest waits.

1. Finds the HMAC-SHA256 key the secure kernel created: every 32-byte
   window of the secure kernel's region (8-byte aligned offsets first, then
   4-byte, then the rest) is tried as the key until HMAC(window, MSG) == MAC
   (RFC 2104). The region is the loader's "SECURE KERNEL: loaded at 0x...
   (N KiB)" console line; the hypervisor's is its log's "region A-B" line
   (both in $OPENVBS_TESTBED_LOGS). Not found: exit 1 (the method failed).
2. Lists every copy of those 32 bytes anywhere in the dump and where it lies
   (the secure kernel's region, the hypervisor's, or outside both).
3. Each KNOWN_HEX (a key the test itself imported): its copies, the same way.
4. Prints one reply line for the guest:
     key at=0xPA copies=N outside=N mask=HEX needle=HEX [known0=N/OUT ...]
   with a fresh random mask and needle = key XOR mask (memscan.ko's
   parameters), then the details on further lines (the test bed's hook.log).
"""
import hashlib
import hmac
import mmap
import os
import re
import secrets
import sys
import time

KEY_LEN = 32


def fail(msg):
    print(f"find-vtl1-key: {msg}", file=sys.stderr)
    sys.exit(1)


def read_log(name):
    path = os.path.join(os.environ.get("OPENVBS_TESTBED_LOGS", ""), name)
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1").replace("\r", "")
    except OSError as e:
        fail(f"cannot read {name} of this run: {e}")


def regions():
    """{'sk': (start, end), 'hv': (start, end)} from the run's logs."""
    m = re.search(r"SECURE KERNEL: loaded at 0x([0-9a-fA-F]+) \((\d+) KiB\)", read_log("console.log"))
    if not m:
        fail("no 'SECURE KERNEL: loaded at' line in console.log")
    sk = (int(m.group(1), 16), int(m.group(1), 16) + int(m.group(2)) * 1024)
    m = re.search(r"\] region ([0-9a-f]+)-([0-9a-f]+),", read_log("hv.log"))
    if not m:
        fail("no 'region A-B' line in hv.log")
    return {"sk": sk, "hv": (int(m.group(1), 16), int(m.group(2), 16))}


def window_offsets(start, end):
    """Offsets in [start, end - KEY_LEN], 8-aligned first, then 4, then all."""
    last = end - KEY_LEN
    yield from range(start + (-start % 8), last + 1, 8)
    yield from (o for o in range(start + (-start % 4), last + 1, 4) if o % 8)
    yield from (o for o in range(start, last + 1) if o % 4)


def find_key(dump, sk, msg, mac):
    tried = set()
    for off in window_offsets(*sk):
        window = dump[off:off + KEY_LEN]
        if window in tried:
            continue
        tried.add(window)
        if hmac.compare_digest(hmac.digest(window, msg, hashlib.sha256), mac):
            return off, bytes(window), len(tried)
    return None, None, len(tried)


def copies(dump, needle):
    found, at = [], dump.find(needle)
    while at >= 0:
        found.append(at)
        at = dump.find(needle, at + 1)
    return found


def where(pa, regs):
    for name, (start, end) in regs.items():
        if start <= pa and pa + KEY_LEN <= end:
            return name
    return "outside"


def main():
    if len(sys.argv) < 4:
        fail("usage: find-vtl1-key.py DUMP MSG_HEX MAC_HEX [KNOWN_HEX...]")
    try:
        msg, mac = bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
        known = [bytes.fromhex(h) for h in sys.argv[4:]]
    except ValueError as e:
        fail(f"bad hex argument: {e}")
    if len(mac) != 32:
        fail(f"the MAC has {len(mac)} bytes, not 32")
    regs = regions()
    t0 = time.time()
    with open(sys.argv[1], "rb") as f:
        dump = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    sk = regs["sk"]
    if sk[1] > len(dump):
        fail(f"the secure kernel's region {sk[0]:#x}-{sk[1]:#x} lies beyond the dump ({len(dump):#x} bytes)")
    off, key, tries = find_key(dump, sk, msg, mac)
    if key is None:
        fail(f"no 32-byte window of the secure kernel's region {sk[0]:#x}-{sk[1]:#x} "
             f"is the key of this MAC ({tries} distinct windows tried)")
    t_find = time.time() - t0
    key_copies = copies(dump, key)
    outside = [pa for pa in key_copies if where(pa, regs) == "outside"]
    mask = secrets.token_bytes(KEY_LEN)
    needle = bytes(a ^ b for a, b in zip(key, mask))
    reply = (f"key at={off:#x} copies={len(key_copies)} outside={len(outside)} "
             f"mask={mask.hex()} needle={needle.hex()}")
    details = []
    for i, k in enumerate(known):
        found = copies(dump, k)
        out = [pa for pa in found if where(pa, regs) == "outside"]
        reply += f" known{i}={len(found)}/{len(out)}"
        details.append(f"known{i} ({len(k)} bytes): {len(found)} copies, {len(out)} outside "
                       f"the hypervisor and the secure kernel: "
                       + (" ".join(f"{pa:#x}({where(pa, regs)})" for pa in found[:64]) or "none"))
    print(reply)
    print(f"regions: secure kernel {sk[0]:#x}-{sk[1]:#x}, hypervisor "
          f"{regs['hv'][0]:#x}-{regs['hv'][1]:#x}; dump {len(dump)} bytes")
    print(f"key found at {off:#x} after {tries} distinct windows in {t_find:.1f} s")
    print("key copies: " + " ".join(f"{pa:#x}({where(pa, regs)})" for pa in key_copies[:64]))
    for line in details:
        print(line)
    dump.close()


if __name__ == "__main__":
    main()
