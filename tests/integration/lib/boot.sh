# shellcheck shell=bash
# Build and boot steps the integration tests share (vtl1*.sh, hv.sh,
# hv-smp.sh, vbs-ko.sh, drvcheck-kmod.sh, boot-matrix.sh); sourced after
# tap.sh, the functions used after tap_begin, in the repository root, with
# $B the build dir (build_for_test and keep_logs_on_failure use it).
#
#   build_for_test WHAT TARGET...
#       the guest kernel (scripts/fetch-kernel) and `make TARGET...`; when
#       either fails, prints "not ok - scripts/fetch-kernel" or
#       "not ok - build WHAT" and exits 1
#   boot_logged NAME TIMEOUT ARG...
#       scripts/testbed --timeout TIMEOUT --log-dir $T/NAME ARG..., its
#       stdout into $T/NAME.out, its stderr into $T/NAME.err; prints
#       "# NAME: exit RC in Ns" and returns RC
#   keep_logs_on_failure DIR
#       when a check failed: copies $T's files (the boots' .out/.err and log
#       directories: console.log, hv.log, ...) into $B/tests/DIR and says so

build_for_test() { # what target...
	local what=$1
	shift
	scripts/fetch-kernel --quiet >&2 || { echo "not ok - scripts/fetch-kernel"; exit 1; }
	make --no-print-directory -s B="$B" "$@" >&2 || { echo "not ok - build $what"; exit 1; }
}

boot_logged() { # name timeout testbed-arg...
	local name=$1 timeout=$2 start rc
	shift 2
	start=$(date +%s)
	scripts/testbed --timeout "$timeout" --log-dir "$T/$name" "$@" \
		>"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	echo "# $name: exit $rc in $(( $(date +%s) - start ))s"
	return $rc
}

keep_logs_on_failure() { # dir under $B/tests
	[ "$failures" -ne 0 ] || return 0
	mkdir -p "$B/tests/$1" && cp -r "$T"/* "$B/tests/$1/" 2>/dev/null
	echo "# logs kept in $B/tests/$1"
}
