/*
 * scatterlist.c - scatter-gather lists and tables (scatterlist.h).
 *
 * An entry keeps the physical address of its piece of kernel memory; the
 * CPU reaches it through the linear map (slab.h). Tables are one flat
 * array allocated with kcalloc(), so they live in kernel memory as Linux's
 * do and count in the leak checks.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/scatterlist.h>
#include <secsoc/sim.h>

/** sg_init_table - see scatterlist.h */
void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	always(nents > 0, "sg_init_table(%p, 0): a list needs an entry", (void *)sgl);
	if (!nents)
		return;
	memset(sgl, 0, nents * sizeof(*sgl));
	sgl[nents - 1].end = true;
}

/** sg_set_buf - see scatterlist.h; @buf..@buf + @buflen must be kernel memory */
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	bool kernel_memory = virt_addr_valid(buf) &&
			     (!buflen || virt_addr_valid((const u8 *)buf + buflen - 1));

	always(kernel_memory, "sg_set_buf(%p, %u bytes): not kernel memory", buf, buflen);
	sg->phys = kernel_memory ? virt_to_phys(buf) : 0;
	sg->length = kernel_memory ? buflen : 0;
}

/** sg_init_one - see scatterlist.h */
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

/** sg_mark_end - see scatterlist.h */
void sg_mark_end(struct scatterlist *sg)
{
	sg->end = true;
}

/** sg_next - see scatterlist.h */
struct scatterlist *sg_next(struct scatterlist *sg)
{
	return sg->end ? NULL : sg + 1;
}

/** sg_nents - see scatterlist.h */
unsigned int sg_nents(struct scatterlist *sg)
{
	unsigned int n = 0;

	for (; sg; sg = sg_next(sg))
		n++;
	return n;
}

/** sg_virt - see scatterlist.h */
void *sg_virt(const struct scatterlist *sg)
{
	return phys_to_virt(sg->phys);
}

/** sg_phys - see scatterlist.h */
phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return sg->phys;
}

/** sg_alloc_table - see scatterlist.h; nents and orig_nents both start at @nents, as in Linux */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp)
{
	*table = (struct sg_table){ 0 };
	if (!nents || nents > SG_MAX_ENTRIES)
		return -EINVAL;
	table->sgl = kcalloc(nents, sizeof(*table->sgl), gfp);
	if (!table->sgl)
		return -ENOMEM;
	sg_init_table(table->sgl, nents);
	table->nents = nents;
	table->orig_nents = nents;
	return 0;
}

/** sg_free_table - see scatterlist.h */
void sg_free_table(struct sg_table *table)
{
	kfree(table->sgl);
	*table = (struct sg_table){ 0 };
}

/* Copy between the list's memory and @buf, entry by entry, up to @buflen bytes. */
static size_t sg_copy(struct scatterlist *sgl, unsigned int nents, u8 *buf, size_t buflen,
		      bool to_buffer)
{
	struct scatterlist *sg = sgl;
	size_t done = 0;

	for (unsigned int i = 0; sg && i < nents && done < buflen; i++, sg = sg_next(sg)) {
		size_t n = MIN((size_t)sg->length, buflen - done);
		u8 *mem = n ? sg_virt(sg) : NULL;

		if (!mem)
			continue;
		if (to_buffer)
			memcpy(buf + done, mem, n);
		else
			memcpy(mem, buf + done, n);
		done += n;
	}
	return done;
}

/** sg_copy_to_buffer - see scatterlist.h. Return: the bytes copied */
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen)
{
	return sg_copy(sgl, nents, buf, buflen, true);
}

/** sg_copy_from_buffer - see scatterlist.h. Return: the bytes copied */
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			   size_t buflen)
{
	return sg_copy(sgl, nents, (u8 *)buf, buflen, false);
}
