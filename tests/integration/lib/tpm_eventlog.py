#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TCG PC Client crypto-agile event log: parse, replay, compare (stdlib only).

The format is the one Linux exposes as
/sys/kernel/security/tpm0/binary_bios_measurements (TCG PC Client Platform
Firmware Profile Specification 1.05, section 10 "Event Logging"):

  * the first event is in the SHA1 format (TCG_PCClientPCREvent, §10.2.1):
    PCRIndex u32, EventType u32, Digest[20], EventSize u32, Event; it is an
    EV_NO_ACTION whose data is the TCG_EfiSpecIdEvent ("Spec ID Event03",
    §10.4.5.1) listing the digest algorithms and their sizes;
  * every further event is a TCG_PCR_EVENT2 (§10.2.2): PCRIndex u32,
    EventType u32, TPML_DIGEST_VALUES (count u32, then per bank hashAlg u16
    + digest), EventSize u32, Event.

Replay (§10.4.5.3 for StartupLocality): every PCR starts at zero, except
PCR 0 which starts at the locality of a "StartupLocality" EV_NO_ACTION
event; each event other than EV_NO_ACTION extends its PCR in every bank:
PCR = H(PCR || digest).

The loader's own measurements (docs/boot.md "Measurements"), all EV_IPL
with an ASCII description as event data, in this order:
  PCR 12  policy bytes (or "openvbs-policy=builtin-default")
  PCR 11  kernel image bytes
  PCR 11  initrd bytes (when the policy has one)
  PCR 12  the command line, ASCII, no NUL
expected_loader_pcrs() computes PCR 11 and 12 from those objects.

Command line:
  tpm_eventlog.py list LOG                  one line per event
  tpm_eventlog.py replay LOG [BANK]         PCR values after the log
  tpm_eventlog.py expect --kernel F [--initrd F] [--policy F] --cmdline S [--hv F] [--sk F]
                                           expected PCR 11/12 (sha1, sha256)
  tpm_eventlog.py compare LOG PCRREAD.txt   replay vs `tpm2_pcrread` output
"""
import hashlib
import re
import struct
import sys

EV_NO_ACTION = 0x3
EV_IPL = 0xD

EVENT_TYPES = {
    0x0: "EV_PREBOOT_CERT", 0x1: "EV_POST_CODE", 0x3: "EV_NO_ACTION",
    0x4: "EV_SEPARATOR", 0x5: "EV_ACTION", 0x6: "EV_EVENT_TAG",
    0x7: "EV_S_CRTM_CONTENTS", 0x8: "EV_S_CRTM_VERSION", 0x9: "EV_CPU_MICROCODE",
    0xA: "EV_PLATFORM_CONFIG_FLAGS", 0xB: "EV_TABLE_OF_DEVICES",
    0xC: "EV_COMPACT_HASH", 0xD: "EV_IPL", 0xE: "EV_IPL_PARTITION_DATA",
    0xF: "EV_NONHOST_CODE", 0x10: "EV_NONHOST_CONFIG", 0x11: "EV_NONHOST_INFO",
    0x12: "EV_OMIT_BOOT_DEVICE_EVENTS",
    0x80000001: "EV_EFI_VARIABLE_DRIVER_CONFIG",
    0x80000002: "EV_EFI_VARIABLE_BOOT", 0x80000003: "EV_EFI_BOOT_SERVICES_APPLICATION",
    0x80000004: "EV_EFI_BOOT_SERVICES_DRIVER",
    0x80000005: "EV_EFI_RUNTIME_SERVICES_DRIVER", 0x80000006: "EV_EFI_GPT_EVENT",
    0x80000007: "EV_EFI_ACTION", 0x80000008: "EV_EFI_PLATFORM_FIRMWARE_BLOB",
    0x80000009: "EV_EFI_HANDOFF_TABLES", 0x8000000A: "EV_EFI_PLATFORM_FIRMWARE_BLOB2",
    0x8000000B: "EV_EFI_HANDOFF_TABLES2", 0x8000000C: "EV_EFI_VARIABLE_BOOT2",
    0x80000010: "EV_EFI_HCRTM_EVENT", 0x800000E0: "EV_EFI_VARIABLE_AUTHORITY",
    0x800000E1: "EV_EFI_SPDM_FIRMWARE_BLOB", 0x800000E2: "EV_EFI_SPDM_FIRMWARE_CONFIG",
}

# TPM 2.0 Part 2 §6.3 TPM_ALG_ID -> hashlib name
ALGS = {0x0004: "sha1", 0x000B: "sha256", 0x000C: "sha384", 0x000D: "sha512"}
ALG_IDS = {v: k for k, v in ALGS.items()}

SPEC_ID_SIGNATURE = b"Spec ID Event03\0"
LOADER_PCRS = (11, 12)
BUILTIN_POLICY = b"openvbs-policy=builtin-default"


class LogError(ValueError):
    """The log is malformed (offset and reason in the message)."""


class Reader:
    """Bounds-checked little-endian reads over untrusted bytes."""

    def __init__(self, data, off=0):
        self.data, self.off = data, off

    def take(self, n, what):
        if n < 0 or self.off + n > len(self.data):
            raise LogError("%s at offset %d: needs %d bytes, %d left" %
                           (what, self.off, n, len(self.data) - self.off))
        b = self.data[self.off:self.off + n]
        self.off += n
        return b

    def u8(self, what):
        return self.take(1, what)[0]

    def u16(self, what):
        return struct.unpack("<H", self.take(2, what))[0]

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]


class Event:
    def __init__(self, index, pcr, etype, digests, data, offset):
        self.index = index        # ordinal in the log (0 = Spec ID event)
        self.pcr = pcr
        self.type = etype
        self.digests = digests    # {"sha256": bytes, ...}
        self.data = data
        self.offset = offset

    @property
    def type_name(self):
        return EVENT_TYPES.get(self.type, "0x%08x" % self.type)

    @property
    def text(self):
        """The event data as text when it is a description, else None."""
        return event_text(self.data)

    def __repr__(self):
        return "Event(#%d PCR %d %s)" % (self.index, self.pcr, self.type_name)


def event_text(data):
    """ASCII (optionally NUL-terminated) or UCS-2 text, else None."""
    d = data[:-1] if data.endswith(b"\0") and not data.endswith(b"\0\0") else data
    if d and all(0x20 <= c < 0x7f or c in (9, 10, 13) for c in d):
        return d.decode("ascii")
    if len(data) >= 4 and len(data) % 2 == 0:
        try:
            s = data.decode("utf-16-le").rstrip("\0")
        except UnicodeDecodeError:
            return None
        if s and all(0x20 <= ord(c) < 0x7f for c in s):
            return s
    return None


def parse_spec_id(data):
    """TCG_EfiSpecIdEvent (§10.4.5.1) -> dict with 'algorithms' {id: size}."""
    r = Reader(data)
    if r.take(16, "Spec ID signature") != SPEC_ID_SIGNATURE:
        raise LogError("first event is not a 'Spec ID Event03' (not a "
                       "crypto-agile log)")
    spec = {"platform_class": r.u32("platformClass"),
            "version": None, "uintn_size": None, "algorithms": {}}
    minor, major, errata = r.u8("minor"), r.u8("major"), r.u8("errata")
    spec["version"] = "%d.%d errata %d" % (major, minor, errata)
    spec["uintn_size"] = r.u8("uintnSize")
    n = r.u32("numberOfAlgorithms")
    if n == 0 or n > 16:
        raise LogError("Spec ID event lists %d algorithms" % n)
    for _ in range(n):
        alg, size = r.u16("algorithmId"), r.u16("digestSize")
        spec["algorithms"][alg] = size
    vlen = r.u8("vendorInfoSize")
    spec["vendor_info"] = r.take(vlen, "vendorInfo")
    return spec


def parse(data):
    """Parse a whole log: (spec_id dict, [Event, ...]). Raises LogError."""
    r = Reader(data)
    start = r.off
    pcr, etype = r.u32("PCRIndex"), r.u32("EventType")
    r.take(20, "SHA1 digest")
    size = r.u32("EventSize")
    first = r.take(size, "Spec ID event data")
    if etype != EV_NO_ACTION or pcr != 0:
        raise LogError("first event is %s on PCR %d, not EV_NO_ACTION on PCR 0"
                       % (EVENT_TYPES.get(etype, hex(etype)), pcr))
    spec = parse_spec_id(first)
    events = [Event(0, pcr, etype, {}, first, start)]
    sizes = spec["algorithms"]
    while r.off < len(data):
        start = r.off
        pcr, etype = r.u32("PCRIndex"), r.u32("EventType")
        count = r.u32("digest count")
        if count > len(sizes):
            raise LogError("event at offset %d has %d digests, the log "
                           "declares %d banks" % (start, count, len(sizes)))
        digests = {}
        for _ in range(count):
            alg = r.u16("hashAlg")
            if alg not in sizes:
                raise LogError("event at offset %d: algorithm 0x%04x not in "
                               "the Spec ID event" % (start, alg))
            digests[ALGS.get(alg, "0x%04x" % alg)] = r.take(sizes[alg], "digest")
        size = r.u32("EventSize")
        edata = r.take(size, "event data")
        events.append(Event(len(events), pcr, etype, digests, edata, start))
    return spec, events


def banks(spec):
    return [ALGS[a] for a in spec["algorithms"] if a in ALGS]


def startup_locality(ev):
    """Locality of a 'StartupLocality' EV_NO_ACTION event, else None."""
    if ev.type == EV_NO_ACTION and ev.pcr == 0 and \
            ev.data.startswith(b"StartupLocality\0") and len(ev.data) >= 17:
        return ev.data[16]
    return None


def extend(alg, old, digest):
    return hashlib.new(alg, old + digest).digest()


def replay(spec, events, pcrs=range(24)):
    """{bank: {pcr: value}} after every measured event of the log."""
    out = {}
    for alg in banks(spec):
        size = hashlib.new(alg).digest_size
        vals = {p: bytes(size) for p in pcrs}
        for ev in events[1:]:
            loc = startup_locality(ev)
            if loc is not None and 0 in vals:
                vals[0] = bytes(size - 1) + bytes([loc])
            if ev.type == EV_NO_ACTION or ev.pcr not in vals:
                continue
            if alg not in ev.digests:
                raise LogError("event #%d has no %s digest" % (ev.index, alg))
            vals[ev.pcr] = extend(alg, vals[ev.pcr], ev.digests[alg])
        out[alg] = vals
    return out


def file_digests(path):
    h = {a: hashlib.new(a) for a in ("sha1", "sha256")}
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            for x in h.values():
                x.update(chunk)
    return {a: x.digest() for a, x in h.items()}


def bytes_digests(data):
    return {a: hashlib.new(a, data).digest() for a in ("sha1", "sha256")}


def loader_events(policy, kernel, initrd, cmdline, hv=None, sk=None):
    """The loader's events in log order: [(pcr, description, {alg: digest})].

    Each object is a digest dict ({"sha1": .., "sha256": ..}); policy None
    means the built-in default was measured; initrd None means none.
    """
    evs = []
    if policy is None:
        evs.append((12, "OpenVBS built-in default policy",
                    bytes_digests(BUILTIN_POLICY)))
    else:
        evs.append((12, "OpenVBS policy", policy))
    evs.append((11, "OpenVBS kernel image", kernel))
    if initrd is not None:
        evs.append((11, "OpenVBS initrd", initrd))
    evs.append((12, "OpenVBS kernel command line", cmdline))
    if hv is not None:
        # boot/hv.c measures the hypervisor image after the OS's objects.
        evs.append((11, "OpenVBS hypervisor image", hv))
    if sk is not None:
        # ... and the secure kernel's right after it (boot/hv.c sk_load).
        evs.append((11, "OpenVBS secure kernel image", sk))
    return evs


def expected_loader_pcrs(policy, kernel, initrd, cmdline, algs=("sha1", "sha256"), hv=None,
                         sk=None):
    """{bank: {11: value, 12: value}} from the loader's objects alone."""
    out = {}
    for alg in algs:
        size = hashlib.new(alg).digest_size
        vals = {p: bytes(size) for p in LOADER_PCRS}
        for pcr, _, dig in loader_events(policy, kernel, initrd, cmdline, hv, sk):
            vals[pcr] = extend(alg, vals[pcr], dig[alg])
        out[alg] = vals
    return out


def find_loader_events(events):
    """The log's EV_IPL events whose description starts with 'OpenVBS'."""
    return [e for e in events
            if e.type == EV_IPL and (e.text or "").startswith("OpenVBS")]


def parse_pcrread(text):
    """`tpm2_pcrread` output (YAML) -> {bank: {pcr: bytes}}."""
    out, bank = {}, None
    for line in text.splitlines():
        m = re.match(r"^\s*(sha1|sha256|sha384|sha512|sm3_256)\s*:\s*$", line)
        if m:
            bank = m.group(1)
            out.setdefault(bank, {})
            continue
        m = re.match(r"^\s*(\d+)\s*:\s*0x([0-9A-Fa-f]+)\s*$", line)
        if m and bank:
            out[bank][int(m.group(1))] = bytes.fromhex(m.group(2))
    return out


# PCR 10 belongs to IMA, whose log is /sys/kernel/security/ima/
# binary_runtime_measurements, not the firmware's event log.
NOT_IN_FIRMWARE_LOG = (10,)


def compare(replayed, pcrread, skip=NOT_IN_FIRMWARE_LOG):
    """[(bank, pcr, replayed, read)] for every PCR read that differs."""
    diffs = []
    for bank, vals in pcrread.items():
        for pcr, val in sorted(vals.items()):
            if pcr in skip:
                continue
            mine = replayed.get(bank, {}).get(pcr)
            if mine != val:
                diffs.append((bank, pcr, mine, val))
    return diffs


def _hex(b):
    return b.hex() if b is not None else "(none)"


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.split("Command line:")[1].rstrip())
        return 0 if len(argv) >= 2 else 64
    cmd = argv[1]
    try:
        if cmd == "list" and len(argv) == 3:
            spec, events = parse(open(argv[2], "rb").read())
            print("# Spec ID: %s, banks %s" % (spec["version"], ",".join(banks(spec))))
            for e in events[1:]:
                d = e.digests.get("sha256") or next(iter(e.digests.values()), b"")
                t = e.text
                print("%3d PCR%-2d %-32s %s %s" % (e.index, e.pcr, e.type_name,
                      d.hex(), repr(t) if t is not None else "(%d bytes)" % len(e.data)))
            return 0
        if cmd == "replay" and len(argv) in (3, 4):
            spec, events = parse(open(argv[2], "rb").read())
            vals = replay(spec, events)
            for bank in ([argv[3]] if len(argv) == 4 else vals):
                print("%s:" % bank)
                for pcr, v in vals[bank].items():
                    print("  %-2d: 0x%s" % (pcr, v.hex().upper()))
            return 0
        if cmd == "expect":
            args = dict(zip(argv[2::2], argv[3::2]))
            if "--kernel" not in args or "--cmdline" not in args:
                raise SystemExit("expect: --kernel FILE and --cmdline STRING are required")
            vals = expected_loader_pcrs(
                file_digests(args["--policy"]) if "--policy" in args else None,
                file_digests(args["--kernel"]),
                file_digests(args["--initrd"]) if "--initrd" in args else None,
                bytes_digests(args["--cmdline"].encode("ascii")),
                hv=file_digests(args["--hv"]) if "--hv" in args else None,
                sk=file_digests(args["--sk"]) if "--sk" in args else None)
            for bank, v in vals.items():
                print("%s:" % bank)
                for pcr in LOADER_PCRS:
                    print("  %-2d: 0x%s" % (pcr, v[pcr].hex().upper()))
            return 0
        if cmd == "compare" and len(argv) == 4:
            spec, events = parse(open(argv[2], "rb").read())
            read = parse_pcrread(open(argv[3]).read())
            diffs = compare(replay(spec, events), read)
            for bank, pcr, mine, val in diffs:
                print("%s PCR %d: log replays to %s, TPM has %s" %
                      (bank, pcr, _hex(mine), _hex(val)))
            n = sum(1 for v in read.values() for p in v
                    if p not in NOT_IN_FIRMWARE_LOG)
            print("%d of %d PCRs match (PCR 10, IMA's, not compared)" %
                  (n - len(diffs), n))
            return 1 if diffs or n == 0 else 0
    except LogError as e:
        print("tpm_eventlog: %s" % e, file=sys.stderr)
        return 1
    print("tpm_eventlog: bad usage (see --help)", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
