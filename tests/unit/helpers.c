/*
 * helpers.c - see helpers.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <secsoc/dma-heap.h>

#include "helpers.h"

const char *test_src_path(const char *rel)
{
	static char buf[4096];
	const char *src = getenv("SECSOC_SRC");

	snprintf(buf, sizeof(buf), "%s/%s", src ? src : ".", rel);
	return buf;
}

const char *test_tmp_path(const char *name)
{
	static char buf[4096];

	/* Test programs run in parallel in one directory: the program name keeps them apart. */
	snprintf(buf, sizeof(buf), "./tmp-%s-%s", program_invocation_short_name, name);
	return buf;
}

void test_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)size;
	return buf;
}

int test_child_signal(void (*fn)(FILE *out))
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *null = fopen("/dev/null", "w");

		if (!null || !freopen("/dev/null", "w", stderr))
			_exit(1);
		fn(null);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

const char *test_board_variant(const char *rel, const char *name, const char *from,
			       const char *to)
{
	size_t len;
	char *src = test_read_file(test_src_path(rel), &len);
	const char *path = test_tmp_path(name);
	char *hit;
	FILE *f;

	assert_non_null(src);
	hit = from ? strstr(src, from) : NULL;
	assert_true(!from || hit);
	f = fopen(path, "w");
	assert_non_null(f);
	if (hit) {
		fwrite(src, 1, (size_t)(hit - src), f);
		fputs(to, f);
		fputs(hit + strlen(from), f);
	} else {
		fputs(src, f);
	}
	fclose(f);
	free(src);
	return path;
}

/** test_heap_ioctl - see helpers.h */
long test_heap_ioctl(struct process *p, u64 scratch, const char *heap_name, unsigned int cmd,
		     void *data, size_t size)
{
	char path[DEVNODE_PATH_MAX];
	long ret;
	int hfd;

	snprintf(path, sizeof(path), "/dev/dma_heap/%s", heap_name);
	hfd = sys_open(p, path, O_RDWR);
	assert_true(hfd >= 0);
	assert_int_equal(process_write(p, scratch, data, size), 0);
	ret = sys_ioctl(p, hfd, cmd, scratch);
	assert_int_equal(process_read(p, scratch, data, size), 0);
	assert_int_equal(sys_close(p, hfd), 0);
	return ret;
}

/** test_heap_alloc_fd - see helpers.h */
int test_heap_alloc_fd(struct process *p, u64 scratch, const char *heap_name, u64 len)
{
	struct dma_heap_allocation_data data = { .len = len, .fd_flags = O_RDWR | O_CLOEXEC };

	assert_int_equal(test_heap_ioctl(p, scratch, heap_name, DMA_HEAP_IOCTL_ALLOC, &data,
					 sizeof(data)), 0);
	return (int)data.fd;
}
