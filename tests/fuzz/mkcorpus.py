#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpora for the lib/fw fuzz targets, from the rule fixtures
(run tests/fixtures/mkbroken.py first). Deterministic; small."""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FIX = os.path.join(ROOT, 'tests', 'fixtures')
OUT = os.path.join(ROOT, 'tests', 'fuzz', 'corpus')


def rd(rel):
    with open(os.path.join(FIX, rel), 'rb') as f:
        return f.read()


def broken(prefix):
    d = os.path.join(FIX, 'broken')
    return sorted(n for n in os.listdir(d)
                  if n.startswith(prefix) and n.endswith('.bin'))


def put(target, name, data):
    d = os.path.join(OUT, 'fuzz_' + target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


TARGETS = ('acpi', 'wsmt', 'tpm2', 'dmar', 'ivrs', 'mat', 'mor')


def main():
    # Start each of this script's own corpora afresh (never another's).
    for t in TARGETS:
        d = os.path.join(OUT, 'fuzz_' + t)
        if os.path.isdir(d):
            for n in os.listdir(d):
                os.remove(os.path.join(d, n))
    for t, sig in (('wsmt', 'WSMT'), ('tpm2', 'TPM2'), ('dmar', 'DMAR'),
                   ('ivrs', 'IVRS')):
        put(t, 'good', rd('good/%s.bin' % t))
        for n in broken(sig + '-'):
            put(t, n[:-4], rd('broken/' + n))
    put('acpi', 'good-wsmt', rd('good/wsmt.bin'))
    put('acpi', 'good-dmar', rd('good/dmar.bin'))
    for n in broken('ACPI-'):
        put('acpi', n[:-4], rd('broken/' + n))
    mm = rd('good/memmap.bin')
    for n in ['good', 'MAT-H3', 'MAT-E2', 'MAT-X1', 'MAT-C1', 'MAT-C2']:
        m = rd('good/mat.bin') if n == 'good' else rd('broken/%s.bin' % n)
        mp = os.path.join(FIX, 'broken', n + '.memmap')
        mmap = rd('broken/%s.memmap' % n) if os.path.exists(mp) else mm
        put('mat', n, struct.pack('<H', len(m)) + m + mmap)
    lock = rd('good/mor-lock.bin')
    for n in ['good'] + [b[:-4] for b in broken('MOR-')]:
        c = rd('good/mor-control.bin') if n == 'good' or \
            n.startswith('MOR-L') else rd('broken/%s.bin' % n)
        l = rd('broken/%s.bin' % n) if n.startswith('MOR-L') else lock
        put('mor', n, bytes([len(c)]) + c + l)
    print('mkcorpus: done')


if __name__ == '__main__':
    main()
