/*
 * err.h - error values carried in pointers, as in <linux/err.h>.
 */
#ifndef SECSOC_ERR_H
#define SECSOC_ERR_H

#include <secsoc/types.h>

#define MAX_ERRNO 4095
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif /* SECSOC_ERR_H */
