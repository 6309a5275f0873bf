/*
 * fuzz_schedule.c - libFuzzer harness for the schedule-file reader: any
 * bytes must give either a valid schedule or an error message, never a
 * crash, a leak or a hang.
 */
#include <stdio.h>
#include <string.h>

#include <secsoc/sim.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct secsoc_error err = { 0 };
	struct schedule sch;
	FILE *in;

	if (size == 0)
		return 0;
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	if (schedule_read(in, "fuzz.sched", &sch, &err) == 0) {
		if (sch.count > sch.capacity)
			__builtin_trap();
		schedule_free(&sch);
	} else if (!err.msg[0]) {
		__builtin_trap();	/* every rejection must say why */
	}
	fclose(in);
	return 0;
}
