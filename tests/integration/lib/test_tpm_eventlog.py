#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of tpm_eventlog.py against a real event log (stdlib unittest).

Fixture tests/fixtures/eventlog/qemu-ovmf-vbsboot.*: the binary log and
the tpm2_pcrread output captured in a guest booted by vbsboot.efi, and the
SHA-1/SHA-256 of the ESP files the loader measured (.json).

  test_tpm_eventlog.py          unittest output
  test_tpm_eventlog.py --tap    TAP lines "ok - ..." / "not ok - ..."
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tpm_eventlog as tel  # noqa: E402

FIXTURE = os.path.join(HERE, "..", "..", "fixtures", "eventlog", "qemu-ovmf-vbsboot")


def load():
    log = open(FIXTURE + ".bin", "rb").read()
    meta = json.load(open(FIXTURE + ".json"))
    pcrread = tel.parse_pcrread(open(FIXTURE + ".pcrread.txt").read())
    return log, meta, pcrread


def digests(meta, name):
    o = meta["objects"][name]
    return {"sha1": bytes.fromhex(o["sha1"]), "sha256": bytes.fromhex(o["sha256"])}


class RealLog(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log, cls.meta, cls.pcrread = load()
        cls.spec, cls.events = tel.parse(cls.log)

    def test_spec_id_event(self):
        self.assertEqual(self.spec["version"], "2.0 errata 0")
        self.assertEqual(self.spec["uintn_size"], 2)
        self.assertIn("sha256", tel.banks(self.spec))
        self.assertIn("sha1", tel.banks(self.spec))
        self.assertEqual(self.events[0].type, tel.EV_NO_ACTION)

    def test_every_event_has_every_bank(self):
        for e in self.events[1:]:
            self.assertEqual(sorted(e.digests), sorted(tel.banks(self.spec)), e)

    def test_loader_events_are_the_esp_files(self):
        got = [(e.pcr, e.text, e.digests) for e in tel.find_loader_events(self.events)]
        want = tel.loader_events(digests(self.meta, "policy"), digests(self.meta, "kernel"),
                                 digests(self.meta, "initrd"), digests(self.meta, "cmdline"))
        self.assertEqual(len(got), 4)
        for (gp, gt, gd), (wp, wt, wd) in zip(got, want):
            self.assertEqual((gp, gt), (wp, wt))
            for alg in ("sha1", "sha256"):
                self.assertEqual(gd[alg].hex(), wd[alg].hex(), "%s %s" % (gt, alg))

    def test_replay_equals_tpm2_pcrread(self):
        self.assertGreaterEqual(len(self.pcrread["sha256"]), 15)
        diffs = tel.compare(tel.replay(self.spec, self.events), self.pcrread)
        self.assertEqual(diffs, [])

    def test_pcr10_is_imas_not_the_firmware_logs(self):
        replayed = tel.replay(self.spec, self.events)
        self.assertEqual(replayed["sha256"][10], bytes(32))
        self.assertNotEqual(self.pcrread["sha256"][10], bytes(32))

    def test_expected_loader_pcrs_from_files_alone(self):
        exp = tel.expected_loader_pcrs(digests(self.meta, "policy"), digests(self.meta, "kernel"),
                                       digests(self.meta, "initrd"), digests(self.meta, "cmdline"))
        for alg in ("sha1", "sha256"):
            for pcr in (11, 12):
                self.assertEqual(exp[alg][pcr].hex(), self.pcrread[alg][pcr].hex(),
                                 "%s PCR %d" % (alg, pcr))

    def test_cmdline_digest_is_the_ascii_string(self):
        d = tel.bytes_digests(self.meta["cmdline"].encode("ascii"))
        self.assertEqual(d["sha256"].hex(), self.meta["objects"]["cmdline"]["sha256"])

    def test_linux_stub_measures_the_same_initrd_into_pcr9(self):
        tagged = [e for e in self.events if e.pcr == 9 and e.type == 0x6]
        self.assertIn(digests(self.meta, "initrd")["sha256"],
                      [e.digests["sha256"] for e in tagged])

    def test_other_policy_gives_other_pcr12(self):
        exp = tel.expected_loader_pcrs(None, digests(self.meta, "kernel"),
                                       digests(self.meta, "initrd"), digests(self.meta, "cmdline"))
        self.assertNotEqual(exp["sha256"][12], self.pcrread["sha256"][12])
        self.assertEqual(exp["sha256"][11], self.pcrread["sha256"][11])


class Damaged(unittest.TestCase):
    def setUp(self):
        self.log, self.meta, self.pcrread = load()

    def test_truncated_log_is_an_error(self):
        for cut in (10, 40, len(self.log) - 1):
            with self.assertRaises(tel.LogError):
                tel.parse(self.log[:cut])

    def test_sha1_only_log_is_refused(self):
        bad = bytearray(self.log)
        off = 32  # the Spec ID signature in the first event's data
        bad[off:off + 16] = b"Spec ID Event00\0"
        with self.assertRaises(tel.LogError):
            tel.parse(bytes(bad))

    def test_changed_kernel_digest_changes_pcr11(self):
        spec, events = tel.parse(self.log)
        k = [e for e in tel.find_loader_events(events) if e.text == "OpenVBS kernel image"][0]
        k.digests["sha256"] = bytes(32)
        diffs = tel.compare(tel.replay(spec, events), self.pcrread)
        self.assertEqual([(b, p) for b, p, _, _ in diffs], [("sha256", 11)])

    def test_huge_digest_count_is_an_error(self):
        spec, events = tel.parse(self.log)
        off = events[1].offset + 8
        bad = bytearray(self.log)
        bad[off:off + 4] = (0xFFFFFFFF).to_bytes(4, "little")
        with self.assertRaises(tel.LogError):
            tel.parse(bytes(bad))


class TapResult(unittest.TextTestResult):
    def addSuccess(self, test):
        print("ok - eventlog: %s" % test._testMethodName.replace("_", " ")[5:])

    def addFailure(self, test, err):
        print("not ok - eventlog: %s" % test._testMethodName.replace("_", " ")[5:])
        print("# " + self._exc_info_to_string(err, test).replace("\n", "\n# "))

    addError = addFailure


if __name__ == "__main__":
    if "--tap" in sys.argv:
        suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
        res = unittest.TextTestRunner(resultclass=TapResult, stream=open(os.devnull, "w"),
                                      verbosity=0).run(suite)
        sys.exit(0 if res.wasSuccessful() else 1)
    unittest.main()
