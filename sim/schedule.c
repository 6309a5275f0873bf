/*
 * schedule.c - the choice log as a text file: writing, strict loading and
 * the growable entry array (format in sim.h and docs/schedule-format.md).
 *
 * Schedule files come from users and from fuzzers, so loading validates
 * every line and reports the first problem as "file:line: what is wrong";
 * it never trusts a count from the file to size an allocation.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/sim.h>

#define SCHEDULE_MAGIC "secsoc-schedule"
#define SCHEDULE_FORMAT 1
#define SCHEDULE_LINE_MAX 512
#define SCHEDULE_TOKENS_MAX 4
#define SCHEDULE_INITIAL_CAPACITY 256

static const char *const kind_names[SIM_CHOICE_NR_KINDS] = {
	[SIM_CHOICE_SCHED] = "sched",
	[SIM_CHOICE_TASK] = "task",
	[SIM_CHOICE_FAULT] = "fault",
	[SIM_CHOICE_JITTER] = "jitter",
};

/**
 * sim_choice_kind_name - the log's spelling of a choice kind
 * @kind: a kind below SIM_CHOICE_NR_KINDS
 *
 * Return: "sched", "task", "fault", "jitter", or "?" when out of range.
 */
const char *sim_choice_kind_name(enum sim_choice_kind kind)
{
	return (unsigned int)kind < SIM_CHOICE_NR_KINDS ? kind_names[kind] : "?";
}

/**
 * schedule_entry_set_name - store @name as the log spells it
 * @e: the entry
 * @name: NULL or any string
 */
void schedule_entry_set_name(struct schedule_entry *e, const char *name)
{
	size_t i;

	for (i = 0; name && name[i] && i < sizeof(e->name) - 1; i++) {
		char c = name[i];

		/* The bytes isspace() accepts in the C locale, spelled out: this runs per choice. */
		e->name[i] = c == ' ' || (c >= '\t' && c <= '\r') || c == '#' ? '_' : c;
	}
	e->name[i] = '\0';
}

/**
 * schedule_append - add an entry, growing the array by doubling
 * @sch: the schedule
 * @e: copied
 *
 * Return: 0, -E2BIG past SCHEDULE_ENTRIES_MAX, or -ENOMEM.
 */
int schedule_append(struct schedule *sch, const struct schedule_entry *e)
{
	struct schedule_entry *grown;
	u64 cap;

	if (sch->count >= SCHEDULE_ENTRIES_MAX)
		return -E2BIG;
	if (sch->count == sch->capacity) {
		cap = sch->capacity ? sch->capacity * 2 : SCHEDULE_INITIAL_CAPACITY;
		cap = MIN(cap, SCHEDULE_ENTRIES_MAX);
		grown = realloc(sch->entries, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		sch->entries = grown;
		sch->capacity = cap;
	}
	sch->entries[sch->count++] = *e;
	return 0;
}

/**
 * schedule_free - release the entries and clear the schedule
 * @sch: the schedule (may be NULL)
 */
void schedule_free(struct schedule *sch)
{
	if (!sch)
		return;
	free(sch->entries);
	memset(sch, 0, sizeof(*sch));
}

static const char *dash(const char *s)
{
	return s[0] ? s : "-";
}

/**
 * schedule_write - write @sch in the text format
 * @sch: the schedule
 * @out: the stream
 *
 * Return: 0, or -EIO if the stream reports an error.
 */
int schedule_write(const struct schedule *sch, FILE *out)
{
	const struct schedule_entry *e;
	u64 i;

	fprintf(out, "%s %d\nversion %s\nscenario %s\nseed %llu\nstrategy %s\n",
		SCHEDULE_MAGIC, SCHEDULE_FORMAT, dash(sch->version), dash(sch->scenario),
		(unsigned long long)sch->seed, dash(sch->strategy));
	fprintf(out, "lock-policy %s\nfaults %s\nduration-ns %llu\nmax-steps %llu\n",
		dash(sch->lock_policy), dash(sch->faults), (unsigned long long)sch->duration_ns,
		(unsigned long long)sch->max_steps);
	fprintf(out, "jitter-pct %u\nchoices %llu\n---\n", sch->jitter_pct,
		(unsigned long long)sch->count);
	for (i = 0; i < sch->count; i++) {
		e = &sch->entries[i];
		fprintf(out, "%s %u %u%s%s\n", sim_choice_kind_name(e->kind), e->answer, e->n,
			e->name[0] ? " " : "", e->name);
	}
	return ferror(out) ? -EIO : 0;
}

/**
 * schedule_save - write @sch to the file @path
 * @sch: the schedule
 * @path: created or truncated
 * @err: names the file on failure
 *
 * Return: 0, -EINVAL if the file cannot be created, -EIO if writing fails.
 */
int schedule_save(const struct schedule *sch, const char *path, struct secsoc_error *err)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return input_error(err, "cannot create schedule '%s': %s", path, strerror(errno));
	ret = schedule_write(sch, f);
	if (fclose(f) || ret)
		return internal_error(err, "cannot write schedule '%s'", path);
	return 0;
}

/* Loader state: where we are, for "file:line:" messages. */
struct schedule_reader {
	FILE *f;
	const char *path;
	unsigned long line;
	char buf[SCHEDULE_LINE_MAX];
	char *tok[SCHEDULE_TOKENS_MAX + 1];
	unsigned int ntok;
	struct secsoc_error *err;
};

#define reader_error(r, fmt, ...) \
	input_error((r)->err, "%s:%lu: " fmt, (r)->path, (r)->line, ##__VA_ARGS__)

/* Read one physical line into r->buf. Return: 1 line, 0 EOF, <0 error. */
static int reader_getline(struct schedule_reader *r)
{
	size_t len = 0;
	int c;

	r->line++;
	while ((c = getc(r->f)) != EOF && c != '\n') {
		if (c == '\0')
			return reader_error(r, "NUL byte in a text file");
		if (len >= sizeof(r->buf) - 1)
			return reader_error(r, "line longer than %zu characters",
					    sizeof(r->buf) - 1);
		r->buf[len++] = (char)c;
	}
	if (ferror(r->f))
		return input_error(r->err, "%s: read error", r->path);
	if (c == EOF && len == 0)
		return 0;
	r->buf[len] = '\0';
	return 1;
}

/* Split the line after stripping the comment. Return: 0, or an error past the limit. */
static int reader_split(struct schedule_reader *r)
{
	char *p = strchr(r->buf, '#'), *save = NULL, *t;

	if (p)
		*p = '\0';
	r->ntok = 0;
	for (t = strtok_r(r->buf, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (r->ntok == SCHEDULE_TOKENS_MAX)
			return reader_error(r, "too many fields");
		r->tok[r->ntok++] = t;
	}
	return 0;
}

/* The next line that is not blank or a comment. Return: 1, 0 at EOF, <0 error. */
static int reader_next(struct schedule_reader *r)
{
	int ret;

	do {
		ret = reader_getline(r);
		if (ret <= 0)
			return ret;
		ret = reader_split(r);
		if (ret)
			return ret;
	} while (!r->ntok);
	return 1;
}

/* Strict decimal: digits only, no sign, no overflow. */
static bool parse_u64(const char *s, u64 *out)
{
	u64 v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (u64)(*s - '0')) / 10)
			return false;
		v = v * 10 + (u64)(*s - '0');
	}
	*out = v;
	return true;
}

/* Read the header line "<key> <value>"; returns a pointer to the value. */
static int reader_header(struct schedule_reader *r, const char *key, const char **value)
{
	int ret = reader_next(r);

	if (ret < 0)
		return ret;
	if (ret == 0)
		return input_error(r->err, "%s: header line '%s' is missing", r->path, key);
	if (strcmp(r->tok[0], key))
		return reader_error(r, "expected header line '%s', found '%s'", key, r->tok[0]);
	if (r->ntok != 2)
		return reader_error(r, "'%s' takes exactly one value", key);
	*value = r->tok[1];
	return 0;
}

static int reader_string(struct schedule_reader *r, const char *key, char *dst, size_t len)
{
	const char *v;
	int ret = reader_header(r, key, &v);

	if (ret)
		return ret;
	if (!strcmp(v, "-"))
		v = "";
	if (strlen(v) >= len)
		return reader_error(r, "%s '%s' is longer than %zu characters", key, v, len - 1);
	strcpy(dst, v);
	return 0;
}

static int reader_number(struct schedule_reader *r, const char *key, u64 *dst)
{
	const char *v;
	int ret = reader_header(r, key, &v);

	if (ret)
		return ret;
	if (!parse_u64(v, dst))
		return reader_error(r, "%s '%s' is not a decimal number", key, v);
	return 0;
}

static int reader_magic(struct schedule_reader *r)
{
	u64 format;
	int ret = reader_next(r);

	if (ret < 0)
		return ret;
	if (ret == 0 || strcmp(r->tok[0], SCHEDULE_MAGIC) || r->ntok != 2)
		return input_error(r->err, "%s:%lu: not a secsoc schedule (expected '%s %d')",
				   r->path, r->line, SCHEDULE_MAGIC, SCHEDULE_FORMAT);
	if (!parse_u64(r->tok[1], &format) || format != SCHEDULE_FORMAT)
		return reader_error(r,
				    "schedule format '%s' is not supported (this build reads %d)",
				    r->tok[1], SCHEDULE_FORMAT);
	return 0;
}

/* The header's meaning is checked too, so sim_create can trust a loaded schedule. */
static int reader_check_header(struct schedule_reader *r, const struct schedule *sch,
			       u64 choices)
{
	const struct sim_strategy_ops *st = sim_strategy_find(sch->strategy);
	struct secsoc_error ferr = { 0 };
	struct fault_spec spec;

	if (!st || st == &sim_strategy_replay)
		return input_error(r->err, "%s: strategy '%s' is not one a run can record",
				   r->path, sch->strategy);
	if (fault_spec_parse(sch->faults, &spec, &ferr))
		return input_error(r->err, "%s: faults: %s", r->path, ferr.msg);
	if (choices > SCHEDULE_ENTRIES_MAX)
		return input_error(r->err, "%s: %llu choices is more than the limit of %llu",
				   r->path, (unsigned long long)choices, SCHEDULE_ENTRIES_MAX);
	return 0;
}

/* jitter-pct: sim_create() refuses more than SIM_JITTER_PCT_MAX, so the reader does too. */
static int reader_jitter_pct(struct schedule_reader *r, u32 *dst)
{
	u64 v;
	int ret = reader_number(r, "jitter-pct", &v);

	if (ret)
		return ret;
	if (v > SIM_JITTER_PCT_MAX)
		return reader_error(r, "jitter-pct %llu is above %d", (unsigned long long)v,
				    SIM_JITTER_PCT_MAX);
	*dst = (u32)v;
	return 0;
}

static int reader_headers(struct schedule_reader *r, struct schedule *sch, u64 *choices)
{
	const char *sep;
	int ret;

	ret = reader_magic(r);
	ret = ret ? ret : reader_string(r, "version", sch->version, sizeof(sch->version));
	ret = ret ? ret : reader_string(r, "scenario", sch->scenario, sizeof(sch->scenario));
	ret = ret ? ret : reader_number(r, "seed", &sch->seed);
	ret = ret ? ret : reader_string(r, "strategy", sch->strategy, sizeof(sch->strategy));
	ret = ret ? ret : reader_string(r, "lock-policy", sch->lock_policy,
					sizeof(sch->lock_policy));
	ret = ret ? ret : reader_string(r, "faults", sch->faults, sizeof(sch->faults));
	ret = ret ? ret : reader_number(r, "duration-ns", &sch->duration_ns);
	ret = ret ? ret : reader_number(r, "max-steps", &sch->max_steps);
	ret = ret ? ret : reader_jitter_pct(r, &sch->jitter_pct);
	ret = ret ? ret : reader_number(r, "choices", choices);
	if (ret)
		return ret;
	ret = reader_next(r);
	if (ret < 0)
		return ret;
	sep = ret ? r->tok[0] : "end of file";
	if (!ret || strcmp(sep, "---") || r->ntok != 1)
		return input_error(r->err, "%s:%lu: expected '---' after the header, found '%s'",
				   r->path, r->line, sep);
	return reader_check_header(r, sch, *choices);
}

static int reader_kind(const char *s)
{
	int k;

	for (k = 0; k < SIM_CHOICE_NR_KINDS; k++)
		if (!strcmp(kind_names[k], s))
			return k;
	return -1;
}

/* Parse "<kind> <answer> <n> [<name>]" from the current tokens. */
static int reader_entry(struct schedule_reader *r, struct schedule_entry *e)
{
	int kind = reader_kind(r->tok[0]);
	u64 answer, n;

	if (kind < 0)
		return reader_error(r, "unknown choice kind '%s' (sched, task, fault or jitter)",
				    r->tok[0]);
	if (r->ntok < 3)
		return reader_error(r, "a choice is '<kind> <answer> <n> [<name>]'");
	if (!parse_u64(r->tok[1], &answer) || answer > UINT32_MAX)
		return reader_error(r, "answer '%s' is not a number below 2^32", r->tok[1]);
	if (!parse_u64(r->tok[2], &n) || n > UINT32_MAX)
		return reader_error(r, "n '%s' is not a number below 2^32", r->tok[2]);
	if (answer >= n)
		return reader_error(r, "answer %llu is not below n=%llu",
				    (unsigned long long)answer, (unsigned long long)n);
	if ((kind == SIM_CHOICE_SCHED || kind == SIM_CHOICE_TASK) && r->ntok < 4)
		return reader_error(r, "a %s choice needs the name of the option chosen",
				    kind_names[kind]);
	if (kind == SIM_CHOICE_FAULT && r->ntok < 4)
		return reader_error(r, "a fault choice needs the name of the fault site");
	if (kind == SIM_CHOICE_JITTER && r->ntok > 3)
		return reader_error(r, "a jitter choice has no name");
	memset(e, 0, sizeof(*e));
	e->kind = (u8)kind;
	e->answer = (u32)answer;
	e->n = (u32)n;
	if (r->ntok == 4 && strlen(r->tok[3]) >= sizeof(e->name))
		return reader_error(r, "name '%.20s...' is longer than %zu characters", r->tok[3],
				    sizeof(e->name) - 1);
	if (r->ntok == 4)
		strcpy(e->name, r->tok[3]);
	return 0;
}

static int reader_entries(struct schedule_reader *r, struct schedule *sch, u64 choices)
{
	struct schedule_entry e;
	int ret;

	while ((ret = reader_next(r)) > 0) {
		if (sch->count == choices)
			return reader_error(r, "more choices than the header's 'choices %llu'",
					    (unsigned long long)choices);
		ret = reader_entry(r, &e);
		if (ret)
			return ret;
		if (schedule_append(sch, &e))
			return internal_error(r->err, "%s:%lu: out of memory", r->path, r->line);
	}
	if (ret < 0)
		return ret;
	if (sch->count != choices)
		return input_error(r->err, "%s: the header says %llu choices but the file has %llu",
				   r->path, (unsigned long long)choices,
				   (unsigned long long)sch->count);
	return 0;
}

/**
 * schedule_read - read and validate a schedule from an open stream
 * @in: the stream (not closed)
 * @name: the file name used in messages
 * @sch: filled on success; cleared (nothing to free) on failure
 * @err: "name:line: problem" on failure
 *
 * Return: 0, -EINVAL for a bad file, -EIO if memory runs out.
 */
int schedule_read(FILE *in, const char *name, struct schedule *sch, struct secsoc_error *err)
{
	struct schedule_reader *r;
	u64 choices = 0;
	int ret;

	memset(sch, 0, sizeof(*sch));
	r = calloc(1, sizeof(*r));
	if (!r)
		return internal_error(err, "out of memory loading '%s'", name);
	r->path = name;
	r->err = err;
	r->f = in;
	ret = reader_headers(r, sch, &choices);
	if (!ret)
		ret = reader_entries(r, sch, choices);
	free(r);
	if (ret)
		schedule_free(sch);
	return ret;
}

/**
 * schedule_load - read and validate a schedule file (see schedule_read())
 */
int schedule_load(const char *path, struct schedule *sch, struct secsoc_error *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		memset(sch, 0, sizeof(*sch));
		return input_error(err, "cannot open schedule '%s': %s", path, strerror(errno));
	}
	ret = schedule_read(f, path, sch, err);
	fclose(f);
	return ret;
}
