/*
 * dtc.c - device trees from files: reading a DTB, and compiling a DTS with
 * the device-tree compiler (dtc) before loading it.
 *
 * dtc runs as a child process through posix_spawnp (no shell, so file names
 * are never interpreted), writes into a private mkstemp file that is always
 * unlinked, and its stderr is captured so that a syntax error reaches the
 * user as "board.dts: dtc failed: <what dtc said>".
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <secsoc/dt.h>

#define DTC_MSG_MAX 400		/* how much of dtc's stderr is quoted */
#define DTC_MSG_LINES 3

extern char **environ;

/* Read all of @path (at most DT_BLOB_MAX bytes) into a new buffer. */
static int read_file(const char *path, void **buf, size_t *len, struct secsoc_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	int ret = 0;

	*buf = NULL;
	if (!f)
		return input_error(err, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
		ret = input_error(err, "%s: not a regular file", path);
	else if (st.st_size > (off_t)DT_BLOB_MAX)
		ret = input_error(err, "%s: %lld bytes is larger than the %u-byte device-tree limit",
				  path, (long long)st.st_size, DT_BLOB_MAX);
	if (!ret) {
		*len = (size_t)st.st_size;
		*buf = malloc(*len ? *len : 1);
		if (!*buf)
			ret = internal_error(err, "%s: out of memory", path);
		else if (fread(*buf, 1, *len, f) != *len)
			ret = input_error(err, "%s: read error", path);
	}
	fclose(f);
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

static int load_file_as(const char *path, const char *source, struct dt **out,
			struct secsoc_error *err)
{
	void *buf;
	size_t len;
	int ret = read_file(path, &buf, &len, err);

	*out = NULL;
	if (ret)
		return ret;
	ret = dt_load_blob(buf, len, source, out, err);
	free(buf);
	return ret;
}

int dt_load_dtb_file(const char *path, struct dt **out, struct secsoc_error *err)
{
	return load_file_as(path, path, out, err);
}

/*
 * Keep the first DTC_MSG_LINES lines of dtc's stderr, joined by "; ", and
 * drain the rest so dtc never blocks on a full pipe.
 */
static void read_stderr(int fd, char *msg, size_t size)
{
	size_t used = 0;
	unsigned int lines = 0;
	char buf[512];
	ssize_t got;

	msg[0] = '\0';
	while ((got = read(fd, buf, sizeof(buf))) > 0 || (got < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < got; i++) {
			bool nl = buf[i] == '\n';

			if (lines >= DTC_MSG_LINES || used + 3 >= size)
				break;
			if (nl)
				lines++;
			if (nl && lines < DTC_MSG_LINES) {
				memcpy(msg + used, "; ", 2);
				used += 2;
			} else if (!nl) {
				msg[used++] = buf[i];
			}
			msg[used] = '\0';
		}
	}
	/* A trailing "; " left by the last newline says nothing. */
	if (used >= 2 && !strcmp(msg + used - 2, "; "))
		msg[used - 2] = '\0';
}

/*
 * Run dtc on @dts, writing @dtb; returns the spawn/exit status via @err.
 * dtc parses its options with getopt_long, so "--" keeps a file name that
 * begins with '-' from being taken as an option.
 */
static int run_dtc(const char *dts, const char *dtb, struct secsoc_error *err)
{
	char *argv[] = { "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", (char *)dtb, "--",
			 (char *)dts, NULL };
	posix_spawn_file_actions_t fa;
	char msg[DTC_MSG_MAX + 4];
	int pipefd[2], status = 0, ret;
	pid_t pid;

	if (pipe(pipefd))
		return internal_error(err, "cannot compile %s: pipe: %s", dts, strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	ret = posix_spawnp(&pid, "dtc", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (ret) {
		close(pipefd[0]);
		if (ret == ENOENT)
			return input_error(err, "cannot compile %s: dtc not found in PATH (install device-tree-compiler)",
					   dts);
		return internal_error(err, "cannot compile %s: cannot run dtc: %s", dts,
				      strerror(ret));
	}
	read_stderr(pipefd[0], msg, sizeof(msg));
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return input_error(err, "%s: dtc failed: %s", dts,
				   msg[0] ? msg : "no message (exit status not 0)");
	return 0;
}

int dt_load_dts_file(const char *path, struct dt **out, struct secsoc_error *err)
{
	const char *tmpdir = getenv("TMPDIR");
	char dtb[4096];
	struct stat st;
	int fd, ret;

	*out = NULL;
	if (stat(path, &st))
		return input_error(err, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return input_error(err, "%s: not a regular file", path);
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((size_t)snprintf(dtb, sizeof(dtb), "%s/secsoc-dtc-XXXXXX", tmpdir) >= sizeof(dtb))
		return internal_error(err, "cannot compile %s: TMPDIR is too long", path);
	fd = mkstemp(dtb);
	if (fd < 0)
		return internal_error(err, "cannot compile %s: cannot create a temporary file in %s: %s",
				      path, tmpdir, strerror(errno));
	close(fd);
	ret = run_dtc(path, dtb, err);
	if (!ret)
		ret = load_file_as(dtb, path, out, err);
	unlink(dtb);
	return ret;
}
