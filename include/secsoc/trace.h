/*
 * trace.h - streaming trace writers.
 *
 * Chrome Trace Event JSON (opens in ui.perfetto.dev and chrome://tracing):
 * one track (tid) per actor, complete slices ("X") for steps, instants
 * ("i"), counters ("C") and flows ("s"/"t"/"f") from a cause on one track
 * to its effect on another. Timestamps are modelled nanoseconds, written as
 * microseconds with three decimals so they stay exact. Events are written
 * with fprintf as they happen; nothing is held in memory.
 *
 * VCD (IEEE 1364 §18, opens in GTKWave): signals such as interrupt lines,
 * lock owner and engine busy. Variables are declared first; the header is
 * written at the first value change, after which no variable may be added.
 */
#ifndef SECSOC_TRACE_H
#define SECSOC_TRACE_H

#include <stdio.h>

#include <secsoc/error.h>
#include <secsoc/types.h>

struct trace;

/* Key/value arguments attached to an event; a NULL-key entry ends the list. */
enum trace_arg_type { TRACE_ARG_END, TRACE_ARG_STR, TRACE_ARG_U64, TRACE_ARG_HEX };

struct trace_arg {
	const char *key;
	enum trace_arg_type type;
	const char *s;
	u64 u;
};

#define TARG_STR(k, v) ((struct trace_arg){ .key = (k), .type = TRACE_ARG_STR, .s = (v) })
#define TARG_U64(k, v) ((struct trace_arg){ .key = (k), .type = TRACE_ARG_U64, .u = (v) })
#define TARG_HEX(k, v) ((struct trace_arg){ .key = (k), .type = TRACE_ARG_HEX, .u = (v) })
#define TARG_END ((struct trace_arg){ .key = NULL, .type = TRACE_ARG_END })

/** trace_open - start a Chrome JSON trace in @path ("-" is stdout) */
struct trace *trace_open(const char *path, struct secsoc_error *err);
/** trace_open_stream - start a trace on an already open stream (not closed) */
struct trace *trace_open_stream(FILE *out);
/** trace_close - finish the JSON document; returns -EIO if writing failed */
int trace_close(struct trace *t, struct secsoc_error *err);

/** trace_track - name track @tid (thread_name metadata) */
void trace_track(struct trace *t, unsigned int tid, const char *name);
/** trace_slice - a complete slice [ts, ts + dur) on track @tid */
void trace_slice(struct trace *t, unsigned int tid, const char *cat, const char *name,
		 u64 ts_ns, u64 dur_ns, const struct trace_arg *args);
/** trace_instant - a thread-scoped instant event */
void trace_instant(struct trace *t, unsigned int tid, const char *cat, const char *name,
		   u64 ts_ns, const struct trace_arg *args);
/** trace_counter - a counter sample of series @name */
void trace_counter(struct trace *t, const char *name, u64 ts_ns, s64 value);
/*
 * Flows: trace_flow_begin on the track where the cause happens (inside its
 * slice), trace_flow_end on the track of the effect; the end binds to the
 * slice that encloses @ts_ns there ("bp":"e").
 */
void trace_flow_begin(struct trace *t, unsigned int tid, const char *name, u64 id, u64 ts_ns);
void trace_flow_step(struct trace *t, unsigned int tid, const char *name, u64 id, u64 ts_ns);
void trace_flow_end(struct trace *t, unsigned int tid, const char *name, u64 id, u64 ts_ns);
/** trace_events - number of events written so far */
u64 trace_events(const struct trace *t);

/*
 * Output files shared by the trace and VCD writers: @path "-" is stdout
 * (flushed, never closed); @what names the kind of file in error messages.
 */
FILE *trace_file_open(const char *path, const char *what, struct secsoc_error *err);
int trace_file_close(FILE *f, const char *path, const char *what, struct secsoc_error *err);

struct vcd;

#define VCD_VARS_MAX 256

struct vcd *vcd_open(const char *path, struct secsoc_error *err);
struct vcd *vcd_open_stream(FILE *out);
int vcd_close(struct vcd *v, struct secsoc_error *err);
/**
 * vcd_var - declare a wire of @width bits (1..64) in module @scope
 *
 * Return: a handle for vcd_change, or -1 once the header has been written
 * or VCD_VARS_MAX is reached.
 */
int vcd_var(struct vcd *v, const char *scope, const char *name, unsigned int width);
/** vcd_change - @var takes @value at @ts_ns (time must not go backwards) */
void vcd_change(struct vcd *v, int var, u64 ts_ns, u64 value);

#endif /* SECSOC_TRACE_H */
