/*
 * report.h - one writer for the run report, in text or JSON.
 *
 * Scenarios and the CLI describe a report once (sections, lists, fields);
 * the writer renders it as indented "key: value" text for people or as one
 * JSON object for machines (--json), so the two can never disagree.
 */
#ifndef SECSOC_REPORT_H
#define SECSOC_REPORT_H

#include <stdio.h>

#include <secsoc/json.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

struct report {
	FILE *out;
	bool json;
	int depth;
	bool item_open[JSON_DEPTH_MAX];	/* text: a list item's first field is pending */
	bool row;			/* text: fields go on one line as key=value */
	struct json_writer jw;
};

void report_begin(struct report *r, FILE *out, bool json);
void report_end(struct report *r);
/* A named group of fields (a JSON object). */
void report_section_begin(struct report *r, const char *key);
void report_section_end(struct report *r);
/* A list of items (a JSON array); each item is a group of fields. */
void report_list_begin(struct report *r, const char *key);
void report_list_end(struct report *r);
void report_item_begin(struct report *r);
void report_item_end(struct report *r);
/* A list item of scalar fields only, shown on one line in text. */
void report_row_begin(struct report *r);
void report_row_end(struct report *r);
void report_str(struct report *r, const char *key, const char *val);
void report_u64(struct report *r, const char *key, u64 val);
void report_hex(struct report *r, const char *key, u64 val);
void report_bool(struct report *r, const char *key, bool val);
void report_double(struct report *r, const char *key, double val);
/* A list of strings: a JSON array, or "a, b, c" in text. */
void report_strings(struct report *r, const char *key, const char *const *vals, unsigned int n);

/**
 * report_sim - the simulation part of a run report: steps, modelled time,
 * choices, preemptions, faults fired, guest errors, violations and the
 * coverage ("sometimes") goals
 */
void report_sim(struct report *r, const struct sim *s, enum sim_stop_reason why);

#endif /* SECSOC_REPORT_H */
