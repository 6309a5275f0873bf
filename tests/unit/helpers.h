/*
 * helpers.h - shared helpers for the cmocka unit tests: paths into the
 * source tree, temporary files, and a tiny simulation set-up.
 */
#ifndef SECSOC_TEST_HELPERS_H
#define SECSOC_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <secsoc/types.h>

/** test_src_path - absolute path of @rel in the source tree (static buffer) */
const char *test_src_path(const char *rel);
/** test_tmp_path - a fresh path in the test's working directory (static buffer) */
const char *test_tmp_path(const char *name);
/** test_write_file - write @len bytes to @path, failing the test on error */
void test_write_file(const char *path, const void *data, size_t len);
/** test_read_file - read a whole file; caller frees; sets *len */
char *test_read_file(const char *path, size_t *len);

/**
 * test_board_variant - the board @rel (a .dts in the source tree) with the
 * first @from replaced by @to (both NULL: as it is), written to the test's
 * file @name; returns its path (static buffer)
 */
const char *test_board_variant(const char *rel, const char *name, const char *from,
			       const char *to);

/**
 * test_child_signal - run @fn(out) in a child process whose @out and stderr
 * go to /dev/null, and return the signal that ended it (0 if it exited);
 * for checking that a programming error aborts
 */
int test_child_signal(void (*fn)(FILE *out));

struct process;

/**
 * test_heap_ioctl - a process opens /dev/dma_heap/@heap_name, issues @cmd
 * with the @size bytes of @data at the user address @scratch, reads them
 * back into @data and closes the heap; returns the ioctl's result
 */
long test_heap_ioctl(struct process *p, u64 scratch, const char *heap_name, unsigned int cmd,
		     void *data, size_t size);

/**
 * test_heap_alloc_fd - what a process does to get a buffer: open
 * /dev/dma_heap/@heap_name, DMA_HEAP_IOCTL_ALLOC of @len bytes (O_RDWR |
 * O_CLOEXEC) with the argument at the user address @scratch, close the
 * heap; fails the test on any error and returns the buffer's fd
 */
int test_heap_alloc_fd(struct process *p, u64 scratch, const char *heap_name, u64 len);

#endif /* SECSOC_TEST_HELPERS_H */
