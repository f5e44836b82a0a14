#!/usr/bin/env bash
# A secret created in VTL1 is never visible in VTL0 memory (issue 5; docs/
# secure-kernel.md "Vault"), through scripts/testbed --mem-hook, on 1 and
# on 2 CPUs:
#   1. in the guest, `vbsctl vault create` makes an HMAC-SHA256 key in VTL1
#      and `vbsctl vault mac` MACs 64 random bytes with it; an HMAC key the
#      test chose is imported too (`vbsctl vault import`);
#   2. `host-hook MSG MAC IMPORTED` asks the host: the test bed saves all
#      guest RAM and tests/integration/lib/find-vtl1-key.py finds the key
#      in the secure kernel's region by trying every 32-byte window as the
#      HMAC key until the MAC matches (it must: that shows the method
#      works), lists every copy of it in the dump (each must lie in the
#      secure kernel's or the hypervisor's region) and replies with a fresh
#      random mask and key XOR mask;
#   3. the guest loads guest/memscan-kmod's memscan.ko with that mask and
#      needle (and the imported key's, masked the same way): it scans every
#      page of VTL0's memory map at every byte offset; the created key must
#      match 0 times; its self-test must find each of its two plants of
#      random bytes (one in a kmalloc buffer, one across a page boundary)
#      exactly once, at its address; the bytes scanned must be at least
#      MemTotal; the hypervisor's and the secure kernel's regions must be
#      among the ranges it read (through memremap, as zeros).
#   4. the imported key (which passed through VTL0 by necessity): whether
#      VTL0 memory still holds a copy is reported as a TAP comment, from
#      the guest's scan and from the host's dump, not judged.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-vtl1-secret

build_for_test "hv.bin, sk.bin, vbsctl, vbs.ko, memscan.ko" \
	"$B/hv/hv.bin" "$B/sk/sk.bin" "$B/guest/bin/vbsctl" "$B/guest/bin/vbs.ko" \
	"$B/guest/bin/memscan.ko"

# The imported key and its mask: chosen here, so the test knows its bytes;
# the guest gets the key as printf escapes and the scanner only masked.
hexrand() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
xorhex() { python3 -c 'import sys; a, b = (bytes.fromhex(x) for x in sys.argv[1:]); print(bytes(x ^ y for x, y in zip(a, b)).hex())' "$1" "$2"; }
IKEY=$(hexrand 32)
IMASK=$(hexrand 32)
INEEDLE=$(xorhex "$IKEY" "$IMASK")

CMD='hex() { od -An -tx1 "$1" | tr -d " \n"; }
id=$(vbsctl vault create --kind hmac-sha256 --label vtl1-secret --json | sed -n "s/.*\"id\": \([0-9]*\).*/\1/p")
echo "create-id=$id"
head -c 64 /dev/urandom >/root/msg
vbsctl vault mac "$id" --in /root/msg --out /root/mac >/dev/null && echo mac-rc=0
printf "'"$(echo "$IKEY" | sed 's/\(..\)/\\x\1/g')"'" >/root/ikey
iid=$(vbsctl vault import --kind hmac-sha256 --label imported --in /root/ikey --json | sed -n "s/.*\"id\": \([0-9]*\).*/\1/p")
rm -f /root/ikey
echo "import-id=$iid"
reply=$(host-hook "$(hex /root/msg)" "$(hex /root/mac)" '"$IKEY"')
echo "hook-rc=$? reply=$reply"
mask="" needle=""
for w in $reply; do
	case $w in
	mask=*) mask=${w#mask=} ;;
	needle=*) needle=${w#needle=} ;;
	esac
done
insmod /usr/bin/memscan.ko selftest=1 mask="$mask,'"$IMASK"'" needle="$needle,'"$INEEDLE"'" && echo insmod-rc=0
dmesg | sed -n "s/^.*memscan: /memscan: /p"
sed -n "s/^MemTotal: *\([0-9]*\) kB$/memtotal-kb=\1/p" /proc/meminfo
vbsctl vault list
echo guest-done'

boot() { # name args...
	local name=$1
	shift
	boot_logged "$name" 400 --mem-hook tests/integration/lib/find-vtl1-key.py \
		"$@" -- sh -c "$CMD"
	rm -f "$T/$name"/mem-hook-*.bin   # 512 MiB each; the hook's results are in hook.log
}

field() { # file key: the value of "key=value" on the guest's hook-rc line
	sed -n "s/^hook-rc=.* $2=\([^ ]*\).*/\1/p" "$1"
}

run_checks() { # name cpus
	local n=$1 cpus=$2 O=$T/$1.out L=$T/$1
	local sk_base hv_base at copies outside done_line
	check "$cpus CPU(s): the guest command ran to the end" grep -q '^guest-done$' "$O"
	check "$cpus CPU(s): vault: an HMAC-SHA256 key created in VTL1 and a message MACed with it" \
		bash -c "grep -q '^create-id=[0-9]' '$O' && grep -q '^mac-rc=0$' '$O'"
	check "$cpus CPU(s): vault: a key imported" grep -q '^import-id=[0-9]' "$O"
	sk_base=$(sed -n 's/^.*SECURE KERNEL: loaded at 0x\([0-9a-f]*\) .*/\1/p' "$L/console.log")
	hv_base=$(sed -n 's/^\[hv cpu0\] region \([0-9a-f]*\)-.*/\1/p' "$L/hv.log")
	at=$(field "$O" at)
	copies=$(field "$O" copies)
	outside=$(field "$O" outside)
	check "$cpus CPU(s): host: the key found in the dump of the secure kernel's region (0x${sk_base:-?}) by its MAC, at ${at:-none}" \
		bash -c "grep -q '^hook-rc=0 reply=key at=0x' '$O' && [ -n '$sk_base' ] &&
			[ \$(( $at >= 0x$sk_base )) = 1 ]"
	sed -n 's/^\(key found at\|key copies:\|regions:\)/# host: \1/p' "$L/hook.log"
	check "$cpus CPU(s): host: every copy of the key (${copies:-?}) lies in the secure kernel's or the hypervisor's region (${outside:-?} outside)" \
		bash -c "[ '${copies:-0}' -ge 1 ] && [ '$outside' = 0 ]"
	check "$cpus CPU(s): the scanner module loaded and scanned" grep -q '^insmod-rc=0$' "$O"
	sed -n 's/^memscan: \(done .*\)/# scan: \1/p' "$O"
	check "$cpus CPU(s): VTL0's scan finds the VTL1-created key 0 times" \
		grep -q '^memscan: pattern 0: 0 matches$' "$O"
	for plant in selftest selftest-straddle; do
		check "$cpus CPU(s): the scan's $plant found its planted bytes exactly once, at their address" \
			python3 -c '
import re, sys
t, name = open(sys.argv[1]).read(), re.escape(sys.argv[2])
m = re.search(r"^memscan: %s: ok \(1 matches, planted at (0x[0-9a-f]+)\)$" % name, t, re.M)
hits = re.findall(r"^memscan: pattern %s: match at (0x[0-9a-f]+)$" % name, t, re.M)
sys.exit(0 if m and hits == [m.group(1)] else 1)' "$O" "$plant"
	done
	check "$cpus CPU(s): the scan covered at least MemTotal ($(sed -n 's/^memtotal-kb=//p' "$O") KiB)" \
		python3 -c '
import re, sys
t = open(sys.argv[1]).read()
d = re.search(r"^memscan: done bytes=(\d+) .*unreadable_pages=(\d+) ", t, re.M)
k = re.search(r"^memtotal-kb=(\d+)$", t, re.M)
sys.exit(0 if d and k and int(d.group(1)) >= int(k.group(1)) * 1024 else 1)' "$O"
	check "$cpus CPU(s): the hypervisor's (0x${hv_base:-?}) and the secure kernel's regions were read (as mapped ranges)" \
		python3 -c '
import re, sys
t = open(sys.argv[1]).read()
mapped = [(int(a, 16), int(b, 16)) for a, b in
          re.findall(r"^memscan: range 0x([0-9a-f]+)-0x([0-9a-f]+) mapped ", t, re.M)]
bases = [int(x, 16) for x in sys.argv[2:]]
sys.exit(0 if len(bases) == 2 and all(any(a <= x <= b for a, b in mapped) for x in bases) else 1)' \
		"$O" ${hv_base:-} ${sk_base:-}
	echo "# $cpus CPU(s): imported key (passed through VTL0 once): $(sed -n 's/^memscan: pattern 1: \([0-9]*\) matches$/\1/p' "$O") copies found by VTL0's scan; host dump: $(field "$O" known0 | sed 's|^\([0-9]*\)/\([0-9]*\)$|\1 copies, \2 outside the hypervisor and the secure kernel|')"
	sed -n 's/^\(known0 .*\)/# host: imported key: \1/p' "$L/hook.log" | cut -c1-300
	sed -n 's/^memscan: pattern 1: match at \(.*\)/# VTL0 scan: imported key at \1/p' "$O"
	check "$cpus CPU(s): no fatal exit, panic or exception in the hypervisor log" \
		bash -c "! grep -Eq 'FATAL|PANIC|EXCEPTION' '$L/hv.log'"
}

boot smp1 --smp 1
run_checks smp1 1
boot smp2 --smp 2
run_checks smp2 2

keep_logs_on_failure vtl1-secret-logs
exit $((failures != 0))
