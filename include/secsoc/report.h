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

/**
 * report_begin - start a report on @out, as JSON or as indented text
 * @r: the writer state, owned by the caller
 */
void report_begin(struct report *r, FILE *out, bool json);
/** report_end - close the report (the JSON object and its newline) */
void report_end(struct report *r);
/** report_section_begin - a named group of fields (a JSON object) */
void report_section_begin(struct report *r, const char *key);
void report_section_end(struct report *r);
/** report_list_begin - a named list (a JSON array) of items or rows */
void report_list_begin(struct report *r, const char *key);
void report_list_end(struct report *r);
/** report_item_begin - a list item that may hold sections and lists */
void report_item_begin(struct report *r);
void report_item_end(struct report *r);
/** report_row_begin - a list item of scalar fields only, one line in text */
void report_row_begin(struct report *r);
void report_row_end(struct report *r);
/**
 * report_str - a string field; a NULL @val is JSON null and "-" in text
 * (report_u64, _hex, _bool and _double write numbers, "0x..." strings,
 * booleans and doubles the same way)
 */
void report_str(struct report *r, const char *key, const char *val);
void report_u64(struct report *r, const char *key, u64 val);
void report_hex(struct report *r, const char *key, u64 val);
void report_bool(struct report *r, const char *key, bool val);
void report_double(struct report *r, const char *key, double val);
/** report_strings - a list of strings: a JSON array, or "a, b, c" in text */
void report_strings(struct report *r, const char *key, const char *const *vals, unsigned int n);

/**
 * report_sim - the simulation part of a run report: steps, modelled time,
 * choices, preemptions, faults fired, guest errors, violations and the
 * coverage ("sometimes") goals
 */
void report_sim(struct report *r, const struct sim *s, enum sim_stop_reason why);

#endif /* SECSOC_REPORT_H */
