#!/usr/bin/env bash
# Protection masks and secure intercepts, end to end (docs/abi.md "Secure
# intercepts", docs/secure-kernel.md "Protected memory"), through
# scripts/testbed: VTL0 asks VTL1 (`vbsctl protect set`) to take rights
# away on pages of a test module (guest/prot-target-kmod), the module
# touches them through the kernel's fault-tolerant accesses, and:
#   - deny: a write gets #GP (the module sees EFAULT), the bytes stay,
#     reads still work, each denied write is logged with VTL0's RIP, the
#     GPA and the range's label;
#   - audit: each write is logged and then done once by the hypervisor
#     (emulated: the new bytes are there, the page stays read-only);
#   - tripwire (mask none): the first read and the first write are logged
#     and let through; the page then keeps them (a second write: no event);
#   - a mask of none with deny: even a read gets #GP;
#   - with 2 CPUs: a page CPU 1 has just written (its translation cached)
#     is protected from CPU 0, and CPU 1's next write is denied (the NPT
#     shootdown reached it before `protect set` returned);
#   - VTL0 cannot weaken a protection (same pages looser, an overlapping
#     range), nor protect the secure kernel's memory; malformed input is
#     refused with usage errors;
#   - 300 audited writes from CPU 1 while CPU 0 makes VTL calls: the
#     range counts 300 violations, the last value written is in memory,
#     and the log holds 300 audit events or says exactly how many it lost;
#   - the hypervisor counts intercepts and shootdowns.
# Run on 2 CPUs and on 1 (the cross-CPU and stress parts need 2).
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-vtl1-protect

build_for_test "hv.bin, sk.bin, vbsctl, vbs.ko, the target module" \
	"$B/hv/hv.bin" "$B/sk/sk.bin" "$B/guest/bin/vbsctl" "$B/guest/bin/vbs.ko" \
	"$B/guest/bin/prot_target_kmod.ko"

CMD='T=/sys/kernel/prot_target
insmod /usr/bin/prot_target_kmod.ko pages=6 || echo insmod-failed
p() { sed -n "s/^$1 //p" $T/phys; }
op() { echo "$2" > $T/op; echo "$1 $(cat $T/result)"; }
ncpu=$(grep -c ^processor /proc/cpuinfo)
op pre0 "w 0 0 1122334455667788"
vbsctl protect set $(p 0) 1 --mask r --label t-deny; echo "set0 $?"
op deny-w "w 0 8 99"
op deny-b "b 0 16 55"
op deny-r "r 0 8"
vbsctl protect set $(p 1) 1 --mask r --policy audit --label t-audit; echo "set1 $?"
op audit-w "w 1 16 abcdef"
op audit-r "r 1 16"
vbsctl protect set $(p 2) 1 --mask none --policy tripwire --label t-trip; echo "set2 $?"
op trip-r "r 2 0"
op trip-w "w 2 0 5"
op trip-w2 "w 2 8 6"
vbsctl protect set $(p 3) 1 --mask none --label t-none; echo "set3 $?"
op none-r "r 3 0"
vbsctl protect set $(p 0) 1 --mask rw --label loosen; echo "loosen $?"
vbsctl protect set $(p 1) 2 --mask r --label overlap; echo "overlap $?"
vbsctl protect set 0x1001 1 --mask r; echo "badgpa $?"
vbsctl protect set $(p 5) 1 --mask w; echo "badmask $?"
vbsctl protect set $(p 5) 1 --mask r --policy maybe; echo "badpolicy $?"
for r in $(grep -E "^[0-9a-f]+-[0-9a-f]+ : Reserved$" /proc/iomem | cut -d" " -f1); do
	s=${r%-*}; e=${r#*-}; n=$((0x$e - 0x$s + 1))
	[ $n -ge 1048576 ] && [ $n -le 16777216 ] && [ $((0x$s % 4096)) -eq 0 ] || continue
	dd if=/dev/mem of=/root/h bs=4096 skip=$((0x$s / 4096)) count=16 2>/dev/null
	[ "$(wc -c </root/h)" = 65536 ] && [ "$(tr -d "\000" </root/h | wc -c)" = 0 ] || continue
	vbsctl protect set 0x$s 1 --mask r --label hidden >/dev/null 2>&1; echo "hidden 0x$s $?"
done
if [ "$ncpu" -ge 2 ]; then
	taskset -c 1 sh -c "echo \"w 4 0 77\" > $T/op"; echo "warm $(cat $T/result)"
	taskset -c 0 vbsctl protect set $(p 4) 1 --mask r --label t-cross; echo "set4 $?"
	taskset -c 1 sh -c "echo \"w 4 8 78\" > $T/op"; echo "cross-w $(cat $T/result)"
	vbsctl protect set $(p 5) 1 --mask r --policy audit --label t-stress; echo "set5 $?"
	taskset -c 1 sh -c "i=1; while [ \$i -le 300 ]; do echo \"w 5 0 \$(printf %x \$i)\" > $T/op; i=\$((i + 1)); done" &
	w=$!
	n=0; while kill -0 $w 2>/dev/null; do taskset -c 0 vbsctl status >/dev/null; n=$((n + 1)); done
	wait $w
	echo "stress-calls $n"
	op stress-r "r 5 0"
fi
vbsctl protect list --json | sed "s/^/list /"
vbsctl log --json | sed "s/^/log /"
for c in $(seq 0 $((ncpu - 1))); do taskset -c $c vbsctl hv --json | sed "s/^/hv$c /"; done
dmesg | grep -c "general protection" | sed "s/^/gp-oops /"
echo guest-done'

boot() { # name args...
	local name=$1
	shift
	boot_logged "$name" 400 "$@" -- sh -c "$CMD"
}

val() { sed -n "s/^$1 //p" "$O" | head -1; }
is() { # description tag expected
	local got
	got=$(val "$2")
	check "$1 ($2: ${got:-nothing})" [ "$got" = "$3" ]
}

# Each query: python3 over the JSON lines of one run's output.
q() { python3 tests/integration/lib/protect_query.py "$O" "$@"; }

common_checks() { # cpus
	check "$1 CPU(s): the guest command ran to the end" grep -q '^guest-done$' "$O"
	is "$1 CPU(s): the target page is writable before" pre0 "ok 0x1122334455667788"
	is "$1 CPU(s): protect set (deny) succeeds" set0 0
	is "$1 CPU(s): a denied 8-byte write faults in VTL0 (#GP → EFAULT)" deny-w "fault -14"
	is "$1 CPU(s): a denied 1-byte write faults too" deny-b "fault -14"
	is "$1 CPU(s): the denied page still reads, unchanged" deny-r "ok 0xa0a0a0a0a0a0a0a0"
	is "$1 CPU(s): protect set (audit) succeeds" set1 0
	is "$1 CPU(s): an audited write is done (emulated) and reads back" audit-w "ok 0xabcdef"
	is "$1 CPU(s): the audited page reads the written value" audit-r "ok 0xabcdef"
	is "$1 CPU(s): tripwire: a read of a page with mask none is let through" trip-r "ok 0xa2a2a2a2a2a2a2a2"
	is "$1 CPU(s): tripwire: then a write is let through" trip-w "ok 0x5"
	is "$1 CPU(s): tripwire: a second write needs no intercept" trip-w2 "ok 0x6"
	is "$1 CPU(s): deny with mask none: a read faults" none-r "fault -14"
	is "$1 CPU(s): a looser mask on protected pages is refused (exit 8)" loosen 8
	is "$1 CPU(s): an overlapping range is refused (exit 8)" overlap 8
	is "$1 CPU(s): an unaligned address is a usage error (exit 2)" badgpa 2
	is "$1 CPU(s): a write-only mask is a usage error (exit 2)" badmask 2
	is "$1 CPU(s): an unknown policy is a usage error (exit 2)" badpolicy 2
	check "$1 CPU(s): protecting hidden memory (hypervisor, secure kernel) is refused (exit 8)" \
		bash -c "grep -q '^hidden ' '$O' && ! grep '^hidden ' '$O' | grep -qv ' 8\$'"
	check "$1 CPU(s): protect list: violations deny 2, audit 1, tripwire 2, none 1" \
		q violations t-deny=2 t-audit=1 t-trip=2 t-none=1
	check "$1 CPU(s): the log holds the two denied writes with RIP, GPA, label and module" \
		q events denied "write denied: t-deny" 2 prot_target_kmod
	check "$1 CPU(s): the log holds the audited write" q events audit "write audited: t-audit" 1
	check "$1 CPU(s): the log holds the tripwire's read and first write only" \
		q tripwire
	check "$1 CPU(s): the log holds the refused loosening (E_DENIED), from module vbs" \
		q refused -12 1 vbs
	check "$1 CPU(s): the hypervisor counted intercepts (>= 6) and shootdowns (>= 4)" \
		q counters 6 4
	is "$1 CPU(s): no kernel oops (the faults were caught by the module's fixups)" gp-oops 0
}

boot smp2 --smp 2
O=$T/smp2.out
common_checks 2
is "2 CPUs: CPU 1 wrote the page first (translation cached)" warm "ok 0x77"
is "2 CPUs: protect set from CPU 0 succeeds" set4 0
is "2 CPUs: CPU 1's next write is denied (shootdown)" cross-w "fault -14"
is "2 CPUs: stress range set" set5 0
is "2 CPUs: 300 audited writes from CPU 1: the last value is in memory" stress-r "ok 0x12c"
check "2 CPUs: the stress range counts exactly 300 violations" q violations t-stress=300
check "2 CPUs: the log has all 300 stress events, or says exactly how many it lost" \
	q stress 300
echo "# stress: $(val stress-calls) VTL calls from CPU 0 meanwhile"

boot smp1 --smp 1
O=$T/smp1.out
common_checks 1

if [ "$failures" -ne 0 ]; then
	for f in "$T"/*.out "$T"/*.err; do
		echo "# --- $f"; grep -v '^log \|^list ' "$f" | tail -n 40 | sed 's/^/# /'
	done
	for d in "$T"/smp*/; do echo "# --- $d hv.log"; grep -i "intercept\|shootdown\|FATAL" "$d/hv.log" | tail -n 20 | sed 's/^/# /'; done
fi
keep_logs_on_failure vtl1-protect-logs
exit $((failures != 0))
