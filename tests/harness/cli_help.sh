#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The command line's help: every command's --help exits 0, states its exit
# statuses and an example within 80 columns; `help CMD` is the same text;
# --version; the man page built from the same text renders with one
# section per command; the bash completion completes commands, options
# and schemes.
# usage: cli_help.sh RMAPLAB MANPAGE COMPLETION
set -u
rmaplab=$1 man_page=$2 completion=$3
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

bad() { echo "FAIL: $*"; fail=1; }

"$rmaplab" --version > "$t/v" || bad "--version exits $?"
grep -Eq '^rmaplab [0-9]+\.[0-9]+\.[0-9]+' "$t/v" || bad "--version: $(cat "$t/v")"

cmds=$("$rmaplab" help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
[ -n "$cmds" ] || bad "no command list in 'rmaplab help'"
for c in $cmds; do
	"$rmaplab" "$c" --help > "$t/h" 2> "$t/e"
	rc=$?
	[ $rc = 0 ] || bad "$c --help exits $rc"
	[ -s "$t/e" ] && bad "$c --help writes to stderr"
	grep -q '^Exit status:' "$t/h" || bad "$c --help: no exit status"
	grep -q '^  0  success' "$t/h" || bad "$c --help: exit 0 not stated"
	grep -q '^  2  bad input' "$t/h" || bad "$c --help: exit 2 not stated"
	grep -q '^Examples*:' "$t/h" || bad "$c --help: no example"
	grep -q "^usage: rmaplab $c" "$t/h" || bad "$c --help: no synopsis"
	# only the perf command lines import prints are longer: one line
	# each, to be copied
	awk -v c="$c" 'length > 80 && !/^  perf (record|script) / {
		print "FAIL: " c " --help: " length " columns: " $0; exit 1 }' \
		"$t/h" || fail=1
	"$rmaplab" help "$c" > "$t/h2"
	cmp -s "$t/h" "$t/h2" || bad "'help $c' differs from '$c --help'"
	"$rmaplab" "$c" --no-such-option > /dev/null 2>&1
	rc=$?
	[ $rc = 2 ] || bad "$c --no-such-option exits $rc, not 2"
done
"$rmaplab" help no-such-command > /dev/null 2>&1 && bad "help of an unknown command exits 0"

if command -v man > /dev/null; then
	MANWIDTH=80 man -l "$man_page" > "$t/man" 2> "$t/man.err" ||
		bad "man -l $man_page failed: $(cat "$t/man.err")"
	for c in $cmds; do
		grep -q "^rmaplab $c\$" "$t/man" || bad "man page: no section for $c"
	done
	grep -q '^EXIT STATUS' "$t/man" || bad "man page: no EXIT STATUS"
else
	echo "man not installed: the man page's rendering is not checked"
fi
"$rmaplab" help --man | cmp -s - "$man_page" || bad "$man_page is stale"

complete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1));
		 _rmaplab; echo "${COMPREPLY[*]}"' sh "$completion" "$@"
}
[ "$(complete rmaplab ru)" = run ] || bad "completion of 'ru': $(complete rmaplab ru)"
[ "$(complete rmaplab run --sha)" = --sharing ] || bad "completion of 'run --sha'"
[ "$(complete rmaplab check --scheme cow)" = cowctx ] || bad "completion of a scheme"
[ "$(complete rmaplab help rec)" = record ] || bad "completion of 'help rec'"

[ $fail = 0 ] && echo "ok: $(echo $cmds | wc -w) commands"
exit $fail
