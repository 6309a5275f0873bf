/*
 * fuzz_bam_dma.c - libFuzzer harness for the BAM DMA driver (skeleton).
 */
#include <stdlib.h>

#include <secsoc/bam_loopback_client.h>
#include <secsoc/kernel.h>
#include <secsoc/tee.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sim_config sc = { .seed = 1, .max_steps = 200000 };
	struct kernel_params params = { .lock_policy = LOCK_POLICY_NWD };
	struct secsoc_error err = { 0 };
	static struct kernel k;
	static struct tee tee;
	struct soc *soc;
	struct sim *sim;
	struct dt *dt;

	(void)data;
	(void)size;
	if (soc_load_builtin("bam-loopback", &dt, &err))
		abort();
	sim = sim_create(&sc);
	if (soc_create(sim, dt, &soc, &err) || tee_boot(&tee, soc, &err) ||
	    kernel_boot(&k, soc, &params, kernel_drivers, kernel_nr_drivers, &err))
		abort();
	if (!bam_loopback_client_of(&k, dt_find_path(dt, "/soc@0/loopback@1dfa000")))
		abort();
	driver_core_remove_all(&k.dc);
	kernel_shutdown(&k);
	soc_destroy(soc);
	sim_destroy(sim);
	dt_free(dt);
	return 0;
}
