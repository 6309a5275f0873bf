/*
 * trace.c - the Chrome Trace Event JSON writer (see include/secsoc/trace.h)
 * and the output-file helpers it shares with the VCD writer (sim/vcd.c).
 *
 * Every event is one fprintf'd line, written as it happens, so a trace of
 * any length costs no memory and a crashed run still leaves every event up
 * to the crash. Traces must be byte-identical for identical runs: the only
 * inputs are the caller's arguments, and timestamps are printed from
 * integer nanoseconds as "us.nnn" (never through floating point).
 *
 * Layout: pid 1 for everything; the first event names the process
 * "secsoc"; each track is a tid named by thread_name metadata and ordered by
 * thread_sort_index = tid. Counters are process-scoped, so they carry tid 0.
 * Flows bind on (id, cat, name), so they all use the fixed category "flow".
 *
 * All trace_* calls accept a NULL trace and then do nothing, so callers can
 * trace unconditionally.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/json.h>
#include <secsoc/trace.h>

#define TRACE_PID 1
#define TRACE_PATH_MAX 256
#define TRACE_ARGS_MAX 16
#define TRACE_FLOW_CAT "flow"

struct trace {
	FILE *out;
	char path[TRACE_PATH_MAX];		/* "" for a caller's stream */
	u64 events;
};

/**
 * trace_file_open - open an output file for a trace or VCD writer
 * @path: file to create or truncate; "-" means stdout
 * @what: kind of file, for the error message ("trace", "VCD")
 * @err: filled with an input error naming @path when it cannot be opened
 *
 * Return: the stream, or NULL.
 */
FILE *trace_file_open(const char *path, const char *what, struct secsoc_error *err)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		input_error(err, "cannot open %s file '%s': %s", what, path, strerror(errno));
	return f;
}

/**
 * trace_file_close - flush (and close, unless stdout or a caller's stream) @f
 * @f: the stream
 * @path: the path given to trace_file_open, or NULL for a caller's stream
 * @what: kind of file, for the error message
 * @err: filled with an internal error naming @path if any write failed
 *
 * Return: 0, or -EIO if writing failed at any point.
 */
int trace_file_close(FILE *f, const char *path, const char *what, struct secsoc_error *err)
{
	bool failed;

	failed = fflush(f) != 0 || ferror(f);
	if (path && strcmp(path, "-") && fclose(f))
		failed = true;
	if (failed)
		return internal_error(err, "writing %s file '%s' failed", what,
				      path ? path : "<stream>");
	return 0;
}

/* Misuse (or no memory) is a programming error: say what, then stop. */
static void __attribute__((noreturn)) trace_fatal(const char *what)
{
	fprintf(stderr, "secsoc: trace writer: %s\n", what);
	abort();
}

/* Timestamps: integer ns as microseconds with exactly three decimals. */
static void trace_write_us(FILE *out, u64 ns)
{
	fprintf(out, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

/*
 * The part every event shares: separator, phase, pid, tid and name. Events
 * are separated by ",\n" so each one sits on its own line.
 */
static void trace_event_begin(struct trace *t, char ph, unsigned int tid, const char *name)
{
	if (t->events)
		fputs(",\n", t->out);
	fprintf(t->out, "{\"ph\":\"%c\",\"pid\":%d,\"tid\":%u,\"name\":", ph, TRACE_PID, tid);
	json_write_escaped(t->out, name);
	t->events++;
}

static void trace_write_cat_ts(struct trace *t, const char *cat, u64 ts_ns)
{
	fputs(",\"cat\":", t->out);
	json_write_escaped(t->out, cat);
	fputs(",\"ts\":", t->out);
	trace_write_us(t->out, ts_ns);
}

static void trace_write_arg(FILE *out, const struct trace_arg *a)
{
	json_write_escaped(out, a->key);
	fputc(':', out);
	switch (a->type) {
	case TRACE_ARG_STR:
		json_write_escaped(out, a->s);
		break;
	case TRACE_ARG_U64:
		fprintf(out, "%" PRIu64, a->u);
		break;
	case TRACE_ARG_HEX:
		fprintf(out, "\"0x%" PRIx64 "\"", a->u);
		break;
	default:
		trace_fatal("trace argument with an unknown type");
	}
}

/* ,"args":{...} from a NULL-key-terminated list; nothing for an empty list. */
static void trace_write_args(struct trace *t, const struct trace_arg *args)
{
	unsigned int i;

	if (!args || !args[0].key)
		return;
	fputs(",\"args\":{", t->out);
	for (i = 0; args[i].key && args[i].type != TRACE_ARG_END; i++) {
		if (i == TRACE_ARGS_MAX)
			trace_fatal("more than TRACE_ARGS_MAX arguments (missing TARG_END?)");
		if (i)
			fputc(',', t->out);
		trace_write_arg(t->out, &args[i]);
	}
	fputc('}', t->out);
}

static void trace_event_end(struct trace *t)
{
	fputc('}', t->out);
}

/* Metadata ("M") event whose args hold one string or one number. */
static void trace_metadata(struct trace *t, unsigned int tid, const char *name,
			   const struct trace_arg *arg)
{
	const struct trace_arg args[] = { *arg, TARG_END };

	trace_event_begin(t, 'M', tid, name);
	trace_write_args(t, args);
	trace_event_end(t);
}

/**
 * trace_open_stream - start a trace on an already open stream
 * @out: the stream; trace_close flushes it but does not close it
 *
 * Return: the trace (freed by trace_close). Allocation failure aborts.
 */
struct trace *trace_open_stream(FILE *out)
{
	struct trace *t = calloc(1, sizeof(*t));

	if (!t)
		trace_fatal("out of memory");
	t->out = out;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", out);
	trace_metadata(t, 0, "process_name", &TARG_STR("name", "secsoc"));
	return t;
}

/**
 * trace_open - start a Chrome JSON trace in a file
 * @path: the file; "-" is stdout
 * @err: filled with an input error naming @path if it cannot be created
 *
 * Return: the trace, or NULL.
 */
struct trace *trace_open(const char *path, struct secsoc_error *err)
{
	FILE *f = trace_file_open(path, "trace", err);
	struct trace *t;

	if (!f)
		return NULL;
	t = trace_open_stream(f);
	snprintf(t->path, sizeof(t->path), "%s", path);
	return t;
}

/**
 * trace_close - finish the JSON document and free the trace
 * @t: the trace (NULL is allowed)
 * @err: filled with an internal error naming the file if writing failed
 *
 * Return: 0, or -EIO if any write failed.
 */
int trace_close(struct trace *t, struct secsoc_error *err)
{
	int ret;

	if (!t)
		return 0;
	fputs("\n]}\n", t->out);
	ret = trace_file_close(t->out, t->path[0] ? t->path : NULL, "trace", err);
	free(t);
	return ret;
}

/**
 * trace_track - name track @tid and sort it by its number
 * @t: the trace
 * @tid: the track (one per actor)
 * @name: its name
 */
void trace_track(struct trace *t, unsigned int tid, const char *name)
{
	if (!t)
		return;
	trace_metadata(t, tid, "thread_name", &TARG_STR("name", name));
	trace_metadata(t, tid, "thread_sort_index", &TARG_U64("sort_index", tid));
}

/**
 * trace_slice - a complete slice [ts, ts + dur) on track @tid
 * @t: the trace
 * @tid: the track
 * @cat: category
 * @name: slice name
 * @ts_ns: start, modelled ns
 * @dur_ns: duration, modelled ns
 * @args: arguments ending with TARG_END, or NULL
 */
void trace_slice(struct trace *t, unsigned int tid, const char *cat, const char *name,
		 u64 ts_ns, u64 dur_ns, const struct trace_arg *args)
{
	if (!t)
		return;
	trace_event_begin(t, 'X', tid, name);
	trace_write_cat_ts(t, cat, ts_ns);
	fputs(",\"dur\":", t->out);
	trace_write_us(t->out, dur_ns);
	trace_write_args(t, args);
	trace_event_end(t);
}

/**
 * trace_instant - a thread-scoped instant event
 * @t: the trace
 * @tid: the track
 * @cat: category
 * @name: event name
 * @ts_ns: time, modelled ns
 * @args: arguments ending with TARG_END, or NULL
 */
void trace_instant(struct trace *t, unsigned int tid, const char *cat, const char *name,
		   u64 ts_ns, const struct trace_arg *args)
{
	if (!t)
		return;
	trace_event_begin(t, 'i', tid, name);
	trace_write_cat_ts(t, cat, ts_ns);
	fputs(",\"s\":\"t\"", t->out);
	trace_write_args(t, args);
	trace_event_end(t);
}

/**
 * trace_counter - a sample of counter series @name
 * @t: the trace
 * @name: the series (its own counter track in the viewer)
 * @ts_ns: time, modelled ns
 * @value: the new value
 */
void trace_counter(struct trace *t, const char *name, u64 ts_ns, s64 value)
{
	if (!t)
		return;
	trace_event_begin(t, 'C', 0, name);
	trace_write_cat_ts(t, "counter", ts_ns);
	fprintf(t->out, ",\"args\":{\"value\":%" PRId64 "}", value);
	trace_event_end(t);
}

/* One flow event; the end binds to the slice enclosing it ("bp":"e"). */
static void trace_flow(struct trace *t, char ph, unsigned int tid, const char *name, u64 id,
		       u64 ts_ns)
{
	if (!t)
		return;
	trace_event_begin(t, ph, tid, name);
	trace_write_cat_ts(t, TRACE_FLOW_CAT, ts_ns);
	fprintf(t->out, ",\"id\":%" PRIu64, id);
	if (ph == 'f')
		fputs(",\"bp\":\"e\"", t->out);
	trace_event_end(t);
}

/**
 * trace_flow_begin - start flow @id where the cause happens
 * @t: the trace
 * @tid: the cause's track (the event must lie inside one of its slices)
 * @name: flow name; begin, steps and end must use the same one
 * @id: flow id, unique among open flows of that name (keep below 2^53)
 * @ts_ns: time, modelled ns
 */
void trace_flow_begin(struct trace *t, unsigned int tid, const char *name, u64 id, u64 ts_ns)
{
	trace_flow(t, 's', tid, name, id, ts_ns);
}

/**
 * trace_flow_step - an intermediate point of flow @id
 * @t: the trace
 * @tid: the track
 * @name: flow name
 * @id: flow id
 * @ts_ns: time, modelled ns
 */
void trace_flow_step(struct trace *t, unsigned int tid, const char *name, u64 id, u64 ts_ns)
{
	trace_flow(t, 't', tid, name, id, ts_ns);
}

/**
 * trace_flow_end - end flow @id at its effect
 * @t: the trace
 * @tid: the effect's track; binds to the slice enclosing @ts_ns there
 * @name: flow name
 * @id: flow id
 * @ts_ns: time, modelled ns
 */
void trace_flow_end(struct trace *t, unsigned int tid, const char *name, u64 id, u64 ts_ns)
{
	trace_flow(t, 'f', tid, name, id, ts_ns);
}

/**
 * trace_events - number of events written so far, metadata included
 * @t: the trace (NULL counts as none)
 *
 * Return: the length traceEvents will have if nothing else is written.
 */
u64 trace_events(const struct trace *t)
{
	return t ? t->events : 0;
}
