/*
 * report.c - the text/JSON report writer (see include/secsoc/report.h) and
 * the simulation section every run report starts with.
 */
#include <inttypes.h>
#include <string.h>

#include <secsoc/report.h>

void report_begin(struct report *r, FILE *out, bool json)
{
	*r = (struct report){ .out = out, .json = json };
	if (json) {
		json_init(&r->jw, out, true);
		json_object_begin(&r->jw, NULL);
	}
}

void report_end(struct report *r)
{
	if (r->json) {
		json_object_end(&r->jw);
		fputc('\n', r->out);
	}
}

/* Text: indentation and the "- " that opens a list item. */
static void text_prefix(struct report *r)
{
	if (r->depth > 0 && r->item_open[r->depth]) {
		fprintf(r->out, "%*s- ", 2 * (r->depth - 1), "");
		r->item_open[r->depth] = false;
		return;
	}
	fprintf(r->out, "%*s", 2 * r->depth, "");
}

static void text_container_begin(struct report *r, const char *key)
{
	text_prefix(r);
	fprintf(r->out, "%s:\n", key);
	r->depth++;
	r->item_open[r->depth] = false;
}

void report_section_begin(struct report *r, const char *key)
{
	if (r->json)
		json_object_begin(&r->jw, key);
	else
		text_container_begin(r, key);
}

void report_section_end(struct report *r)
{
	if (r->json)
		json_object_end(&r->jw);
	else
		r->depth--;
}

void report_list_begin(struct report *r, const char *key)
{
	if (r->json)
		json_array_begin(&r->jw, key);
	else
		text_container_begin(r, key);
}

void report_list_end(struct report *r)
{
	if (r->json)
		json_array_end(&r->jw);
	else
		r->depth--;
}

void report_item_begin(struct report *r)
{
	if (r->json) {
		json_object_begin(&r->jw, NULL);
		return;
	}
	r->depth++;
	/* The first field of the item carries the "- " of its list. */
	r->item_open[r->depth] = true;
}

void report_item_end(struct report *r)
{
	if (r->json) {
		json_object_end(&r->jw);
		return;
	}
	r->item_open[r->depth] = false;
	r->depth--;
}

void report_row_begin(struct report *r)
{
	if (r->json) {
		json_object_begin(&r->jw, NULL);
		return;
	}
	fprintf(r->out, "%*s-", 2 * r->depth, "");
	r->row = true;
}

void report_row_end(struct report *r)
{
	if (r->json) {
		json_object_end(&r->jw);
		return;
	}
	fputc('\n', r->out);
	r->row = false;
}

void report_str(struct report *r, const char *key, const char *val)
{
	if (r->json) {
		json_string(&r->jw, key, val);
		return;
	}
	if (r->row) {
		fprintf(r->out, strchr(val ? val : "-", ' ') ? " %s=\"%s\"" : " %s=%s", key,
			val ? val : "-");
		return;
	}
	text_prefix(r);
	fprintf(r->out, "%s: %s\n", key, val ? val : "-");
}

void report_u64(struct report *r, const char *key, u64 val)
{
	char buf[24];

	if (r->json) {
		json_u64(&r->jw, key, val);
		return;
	}
	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	report_str(r, key, buf);
}

void report_hex(struct report *r, const char *key, u64 val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, val);
	report_str(r, key, buf);
}

void report_bool(struct report *r, const char *key, bool val)
{
	if (r->json) {
		json_bool(&r->jw, key, val);
		return;
	}
	report_str(r, key, val ? "yes" : "no");
}

void report_double(struct report *r, const char *key, double val)
{
	char buf[32];

	if (r->json) {
		json_double(&r->jw, key, val);
		return;
	}
	snprintf(buf, sizeof(buf), "%g", val);
	report_str(r, key, buf);
}

void report_strings(struct report *r, const char *key, const char *const *vals, unsigned int n)
{
	if (r->json) {
		json_array_begin(&r->jw, key);
		for (unsigned int i = 0; i < n; i++)
			json_string(&r->jw, NULL, vals[i]);
		json_array_end(&r->jw);
		return;
	}
	text_prefix(r);
	fprintf(r->out, "%s: ", key);
	for (unsigned int i = 0; i < n; i++)
		fprintf(r->out, "%s%s", i ? ", " : "", vals[i]);
	fprintf(r->out, "%s\n", n ? "" : "-");
}

static void report_faults(struct report *r, const struct sim *s)
{
	const struct fault_spec *spec = &sim_config(s)->faults;

	report_list_begin(r, "faults");
	for (unsigned int i = 0; i < FAULT_NR_SITES; i++) {
		if (!spec->enabled[i])
			continue;
		report_row_begin(r);
		report_str(r, "site", fault_site_name(i));
		report_double(r, "probability", spec->prob[i]);
		report_u64(r, "fired", sim_fault_fired(s, i));
		report_row_end(r);
	}
	report_list_end(r);
}

static void report_violations(struct report *r, const struct sim *s)
{
	report_list_begin(r, "violations");
	for (unsigned int i = 0; i < sim_violation_count(s); i++) {
		const struct sim_violation *v = sim_violation(s, i);

		report_item_begin(r);
		report_u64(r, "step", v->step);
		report_u64(r, "time_ns", v->time_ns);
		report_str(r, "actor", v->actor);
		report_str(r, "where", v->where);
		report_str(r, "message", v->msg);
		report_item_end(r);
	}
	report_list_end(r);
}

static void report_coverage(struct report *r, const struct sim *s)
{
	report_list_begin(r, "sometimes");
	for (unsigned int i = 0; i < sim_sometimes_count(s); i++) {
		const struct sim_sometimes_goal *g = sim_sometimes_goal(s, i);

		report_row_begin(r);
		report_u64(r, "reached", g->reached);
		report_u64(r, "evaluated", g->evaluated);
		report_str(r, "goal", g->name);
		report_row_end(r);
	}
	report_list_end(r);
}

void report_sim(struct report *r, const struct sim *s, enum sim_stop_reason why)
{
	const struct sim_config *cfg = sim_config(s);

	report_section_begin(r, "simulation");
	report_u64(r, "seed", sim_seed(s));
	report_str(r, "strategy", cfg->strategy ? cfg->strategy->name : "timed");
	report_str(r, "stopped", sim_stop_reason_name(why));
	report_u64(r, "steps", sim_steps(s));
	report_u64(r, "modelled_ns", sim_now_ns(s));
	report_u64(r, "choices", sim_choices(s));
	report_u64(r, "preemptions", sim_preemptions(s));
	report_u64(r, "guest_errors", sim_guest_error_count(s));
	report_hex(r, "state_hash", sim_state_hash(s));
	report_faults(r, s);
	report_violations(r, s);
	report_coverage(r, s);
	report_section_end(r);
}
