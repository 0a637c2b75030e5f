// SPDX-License-Identifier: GPL-2.0-only
/* `rmaplab vm` and vm_run(); see vm.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/cmds.h"
#include "harness/help.h"
#include "harness/vm.h"

/*
 * The directory holding the rmaplab-vm script and the static guest
 * binaries: beside this binary in a build tree, libexec/rmaplab once
 * installed.
 */
static int vm_bindir(char *dir, size_t len)
{
	static const char *const subdirs[] = { "", "/../libexec/rmaplab" };
	char exe[PATH_MAX], p[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s/rmaplab-vm", exe, subdirs[i]);
		if (!access(p, X_OK) && strlen(p) < len) {
			*strrchr(p, '/') = '\0';
			memcpy(dir, p, strlen(p) + 1);
			return 0;
		}
	}
	return -1;
}

/* exec rmaplab-vm with @args; returns its exit status. */
static int vm_exec(char **args)
{
	char dir[PATH_MAX + 64], script[PATH_MAX + 80];
	int status;
	pid_t pid;

	if (vm_bindir(dir, sizeof(dir))) {
		fprintf(stderr, "rmaplab: vm: the rmaplab-vm script is not "
			"installed beside this binary\n");
		return 2;
	}
	snprintf(script, sizeof(script), "%s/rmaplab-vm", dir);
	args[0] = script;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rmaplab: vm: fork: %s\n", strerror(errno));
		return 2;
	}
	if (!pid) {
		setenv("RMAPLAB_BINDIR", dir, 1);
		execv(script, args);
		fprintf(stderr, "rmaplab: vm: %s: %s\n", script,
			strerror(errno));
		_exit(2);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 2;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 2;
}

int vm_run(const char *kernel, int argc, char **argv,
	   const enum vm_arg *kinds)
{
	char **args = calloc(argc + 5, sizeof(*args));
	int i, n = 1, ret;

	if (!args)
		abort();
	args[n++] = "--kernel";
	args[n++] = (char *)kernel;
	args[n++] = "--";
	for (i = 0; i < argc; i++) {
		static const char *const tag[] = { "", "@in:", "@out:" };
		size_t len = strlen(tag[kinds[i]]) + strlen(argv[i]) + 1;

		args[n] = malloc(len);
		if (!args[n])
			abort();
		snprintf(args[n++], len, "%s%s", tag[kinds[i]], argv[i]);
	}
	ret = vm_exec(args);
	for (i = 4; i < n; i++)
		free(args[i]);
	free(args);
	return ret;
}

static bool listed(const char *a, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(a, *list))
			return true;
	return false;
}

int vm_command(int argc, char **argv, const char *const *outputs,
	       const char *const *valued)
{
	enum vm_arg *kinds = calloc(argc, sizeof(*kinds));
	char **args = calloc(argc, sizeof(*args));
	const char *kernel = NULL;
	bool cmd = false;
	int i, n = 0, ret;
	struct stat st;

	if (!kinds || !args)
		abort();
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!cmd && !strcmp(a, "--kernel") && i + 1 < argc) {
			kernel = argv[++i];
			continue;
		}
		if (!cmd && !strncmp(a, "--kernel=", 9)) {
			kernel = a + 9;
			continue;
		}
		if (cmd)
			kinds[n] = strchr(a, '/') && !stat(a, &st) &&
				   S_ISREG(st.st_mode) ? VM_ARG_IN :
				   VM_ARG_PLAIN;
		else
			kinds[n] = i && a[0] != '-' ? VM_ARG_IN :
				   VM_ARG_PLAIN;
		args[n++] = argv[i];
		if (!cmd && !strcmp(a, "--")) {
			cmd = true;
		} else if (!cmd && i + 1 < argc &&
			   (listed(a, outputs) || listed(a, valued))) {
			kinds[n] = listed(a, outputs) ? VM_ARG_OUT :
				   VM_ARG_PLAIN;
			args[n++] = argv[++i];
		}
	}
	ret = kernel ? vm_run(kernel, n, args, kinds) : 2;
	free(kinds);
	free(args);
	return ret;
}

static const char *const vm_synopsis[] = {
	"[--kernel NAME] [--timeout S] [--mem MB] [--cpus N] [--keep]",
	" -- COMMAND [ARGS...]",
	"--fetch NAME | --cached NAME | --list",
	NULL,
};

static const struct cmd_opt vm_opts[] = {
	{ "--kernel NAME", "the kernel to boot (default debian:6.12-amd64)" },
	{ "--timeout S", "give up after S seconds, boot included (3600;\n"
	  "$RMAPLAB_VM_TIMEOUT for the --kernel options)" },
	{ "--mem MB", "guest memory (1024)" },
	{ "--cpus N", "guest CPUs (1)" },
	{ "--keep", "keep the work directory (initramfs, console log)" },
	{ "--fetch NAME", "download and cache NAME, print its image path" },
	{ "--cached NAME", "exit 0 if NAME is cached, 1 if not; no download" },
	{ "--list", "the kernels NAME may name" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const vm_examples[] = {
	"rmaplab vm --kernel debian:6.12-arm64-16k -- kernel-run \\",
	"    --generate 1:50 -o @out:h16k",
	"rmaplab kernel-run --kernel debian:6.12-amd64 t.trace -o t.out",
	NULL,
};

const struct cmd_doc vm_doc = {
	.name = "vm",
	.summary = "run kernel-run or record inside a VM on another kernel",
	.synopsis = vm_synopsis,
	.description =
	"Boots NAME under qemu (KVM where it works for that architecture,\n"
	"TCG otherwise) with an initramfs of busybox and the static\n"
	"rmaplab-guest, runs 'rmaplab COMMAND ARGS' there as root with\n"
	"tracefs mounted, prints its output and exits with its status.\n"
	"COMMAND is kernel-run or record; their --kernel option does all\n"
	"this for them.  In ARGS, @in:PATH copies the host file PATH in and\n"
	"@out:PATH brings the guest's result (file or directory) back to PATH.\n"
	"\n"
	"NAME is debian:VERSION-FLAVOUR, the newest Debian kernel package of\n"
	"that kind fetched with apt (debian:6.12-amd64, debian:6.12-arm64,\n"
	"debian:6.12-arm64-16k, debian:6.1-amd64, debian:6.1-arm64; arm64\n"
	"needs 'dpkg --add-architecture arm64 && apt-get update' once), or\n"
	"the path of a kernel image you built (arm64 Image or x86 bzImage).\n"
	"Kernels are cached in ~/.cache/rmaplab/kernels.  The guest needs no\n"
	"module: results come back on a virtio-serial port where the kernel\n"
	"has its driver built in, else (slowly) over the serial console.",
	.opts = vm_opts,
	.exits = EXIT_OK_BIT | EXIT_DISAGREE_BIT | EXIT_BADINPUT_BIT |
		 EXIT_UNSUPPORTED_BIT,
	.exit_note = "The guest command's status; 2 with one line for a VM "
		"error (no qemu, no\nkernel package, boot or command "
		"timeout).",
	.examples = vm_examples,
};

int cmd_vm(int argc, char **argv)
{
	char **args;
	int i, ret;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			cmd_help(stdout, &vm_doc);
			return 0;
		}
	args = calloc(argc + 1, sizeof(*args));
	if (!args)
		abort();
	for (i = 1; i < argc; i++)
		args[i] = argv[i];
	ret = vm_exec(args);
	free(args);
	return ret;
}
