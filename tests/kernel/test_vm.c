// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab vm: one-line refusals that need no kernel, and fresh random
 * histories through a Debian kernel in a VM, replayed through every
 * scheme, when qemu and a cached kernel are there (`rmaplab vm --fetch
 * debian:6.12-amd64`; .ci/run fetches it).  RMAPLAB_VM_KERNEL names
 * another kernel, RMAPLAB_VM_HISTORIES the number of histories.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Run a shell command line; its exit status, its output in @out. */
static int sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	size_t n = 0;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	if (out) {
		n = fread(out, 1, len - 1, p);
		out[n] = '\0';
	} else {
		char buf[4096];

		while (fread(buf, 1, sizeof(buf), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *rmaplab(void)
{
	static char path[1024];
	const char *b = getenv("RMAPLAB_BUILDDIR");

	cr_assert_not_null(b);
	snprintf(path, sizeof(path), "%s/harness/rmaplab", b);
	return path;
}

static void one_line_exit_2(const char *args)
{
	char out[4096];
	int rc = sh(out, sizeof(out), "%s vm %s 2>&1", rmaplab(), args);

	cr_expect_eq(rc, 2, "vm %s: exit %d", args, rc);
	cr_expect(strncmp(out, "rmaplab: vm: ", 13) == 0 &&
		  strchr(out, '\n') == out + strlen(out) - 1,
		  "vm %s: not one 'rmaplab: vm:' line: %s", args, out);
}

Test(vm, refusals)
{
	one_line_exit_2("--kernel debian:6.12-sparc64 -- kernel-run x");
	one_line_exit_2("--kernel nonsense -- kernel-run x");
	one_line_exit_2("--kernel /nonexistent/vmlinuz -- kernel-run x");
	one_line_exit_2("--kernel debian:6.12-amd64");
	one_line_exit_2("--timeout x -- kernel-run");
	one_line_exit_2("--bogus");
	cr_expect_eq(sh(NULL, 0, "%s vm --help", rmaplab()), 0);
}

Test(vm, fresh_histories, .timeout = 900)
{
	const char *kernel = getenv("RMAPLAB_VM_KERNEL");
	const char *nr = getenv("RMAPLAB_VM_HISTORIES");
	char dir[] = "/tmp/rmaplab-vm-test.XXXXXX", out[8192];
	unsigned long seed = (unsigned long)time(NULL) % 1000000 * 100;
	int rc;

	if (!kernel)
		kernel = "debian:6.12-amd64";
	if (sh(NULL, 0, "command -v qemu-system-x86_64 "
	       "qemu-system-aarch64 >/dev/null"))
		cr_skip_test("no qemu-system (Debian: qemu-system-x86, "
			     "qemu-system-arm)");
	snprintf(out, sizeof(out), "%s/harness/rmaplab-guest-%s",
		 getenv("RMAPLAB_BUILDDIR"),
		 strstr(kernel, "arm64") ? "aarch64" : "x86_64");
	if (access(out, X_OK))
		cr_skip_test("%s: not built (sanitizer builds have no static "
			     "guest)", out);
	if (sh(NULL, 0, "%s vm --cached %s", rmaplab(), kernel))
		cr_skip_test("%s is not cached (rmaplab vm --fetch %s)",
			     kernel, kernel);
	cr_assert_not_null(mkdtemp(dir));
	rc = sh(out, sizeof(out), "%s kernel-run --kernel %s --generate "
		"%lu:%s -o %s/h 2>&1", rmaplab(), kernel, seed,
		nr ? nr : "4", dir);
	cr_assert_eq(rc, 0, "kernel-run in the VM (seed %lu): %s", seed,
		     out);
	rc = sh(out, sizeof(out), "%s check --objects %s/h/*.trace 2>&1 | "
		"tail -n 20", rmaplab(), dir);
	cr_expect_eq(sh(NULL, 0, "%s check --objects %s/h/*.trace",
			rmaplab(), dir), 0,
		     "%s histories from seed %lu disagree with the model:\n%s",
		     kernel, seed, out);
	sh(NULL, 0, "rm -rf %s", dir);
}
