/*
 * fuzz_board.c - libFuzzer harness for board bring-up: any bytes taken as
 * a DTB must either boot a machine (hardware models, secure firmware,
 * normal-world drivers) or be rejected with a message — never crash, leak
 * or hang. This reaches every model's property parsing, not just the DT
 * reader that fuzz_dt covers.
 */
#include <secsoc/sim.h>

#include "scenarios/scenario.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { 0 };
	struct machine m;
	struct dt *dt;
	struct sim *sim;

	if (dt_load_blob(data, size, "fuzz.dtb", &dt, &err))
		return 0;
	sim = sim_create(&cfg);
	if (machine_boot(&m, sim, dt, 0, &err) && !err.msg[0])
		__builtin_trap();	/* every rejection must say why */
	machine_shutdown(&m);
	sim_destroy(sim);
	dt_free(dt);
	return 0;
}
