/*
 * explore_shard.c - the result file of one shard of a partitioned search
 * (`secsoc explore --shard I/N`) and the loading of a complete set of them
 * for `secsoc explore --merge` (explore.h, docs/exploration.md).
 *
 * The file is JSON, one member per line, written with the JSON writer; the
 * reader takes only that shape (it reads files this code wrote, and says so
 * when a file is anything else). The counterexample goes into a schedule
 * file beside it, in the usual format, so that it can be replayed as it is.
 * Unique states are not mergeable from these files (the keys are not
 * saved): the merge sums the shards' counts and says so.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/json.h>

#include "sim/explore_impl.h"

#define SHARD_PATH_MAX 4096
#define SHARD_LINE_MAX (EXPLORE_EXPLORATION_MAX + 256)

static void shard_name(char *buf, size_t len, const char *dir, const struct explore_shard *sh,
		       const char *ext)
{
	snprintf(buf, len, "%s/shard-%u-of-%u.%s", dir, sh->index, sh->count, ext);
}

static void shard_json(FILE *f, const struct explore_shard *sh, const char *cex_name)
{
	const struct explore_result *r = &sh->res;
	struct json_writer w;

	json_init(&w, f, true);
	json_object_begin(&w, NULL);
	json_string(&w, "format", EXPLORE_SHARD_FORMAT);
	json_string(&w, "exploration", sh->exploration);
	json_u64(&w, "shard", sh->index);
	json_u64(&w, "shards", sh->count);
	json_u64(&w, "units", r->units);
	json_string(&w, "verdict", explore_verdict_name(r->verdict));
	json_u64(&w, "schedules", r->stats.schedules);
	json_u64(&w, "cut_at_visited_state", r->stats.cut);
	json_u64(&w, "unique_states", r->stats.states);
	json_u64(&w, "steps", r->stats.steps);
	json_u64(&w, "schedules_with_faults", r->stats.faulted);
	json_u64(&w, "bound", r->stats.bound);
	json_bool(&w, "state_table_full", r->stats.table_full);
	json_s64(&w, "bound_explored_in_full", r->bound_done);
	json_string(&w, "incomplete_because", r->incomplete);
	if (r->verdict == EXPLORE_VIOLATION) {
		json_string(&w, "counterexample", cex_name);
		json_u64(&w, "cex_order", r->cex_order);
		json_string(&w, "violation", r->violation.msg);
	}
	json_object_end(&w);
	fputc('\n', f);
}

int explore_shard_save(const char *dir, const struct explore_shard *sh,
		       struct secsoc_error *err)
{
	char path[SHARD_PATH_MAX], cex[64];
	FILE *f;
	int ret = 0;

	snprintf(cex, sizeof(cex), "shard-%u-of-%u.schedule", sh->index, sh->count);
	if (sh->res.verdict == EXPLORE_VIOLATION) {
		snprintf(path, sizeof(path), "%s/%s", dir, cex);
		ret = schedule_save(&sh->res.counterexample, path, err);
		if (ret)
			return ret;
	}
	shard_name(path, sizeof(path), dir, sh, "json");
	f = fopen(path, "w");
	if (!f)
		return input_error(err, "cannot write '%s': %s", path, strerror(errno));
	shard_json(f, sh, cex);
	if (fclose(f))
		ret = input_error(err, "cannot write '%s': %s", path, strerror(errno));
	return ret;
}

/* A string member's value, unescaped (the writer escapes only " \ and controls). */
static int shard_string(const char *v, char *out, size_t len)
{
	size_t n = 0;

	if (*v++ != '"')
		return -1;
	for (; *v && *v != '"' && n + 1 < len; v++) {
		if (*v == '\\' && v[1] == 'u' && strlen(v) >= 6) {
			out[n++] = '?';
			v += 5;
			continue;
		}
		if (*v == '\\')
			v++;
		out[n++] = *v == 'n' && v[-1] == '\\' ? '\n' : *v;
	}
	out[n] = '\0';
	return *v == '"' ? 0 : -1;
}

static int shard_number(const char *v, u64 *out)
{
	char *end;

	*out = strtoull(v, &end, 10);
	return end == v ? -1 : 0;
}

static int shard_verdict(const char *word, enum explore_verdict *verdict)
{
	for (enum explore_verdict v = EXPLORE_SAFE; v <= EXPLORE_INCOMPLETE; v++) {
		if (!strcmp(word, explore_verdict_name(v))) {
			*verdict = v;
			return 0;
		}
	}
	return -1;
}

/* One "key": value member into @sh. Return: 0, or -1 if it cannot be read. */
static int shard_member(struct explore_shard *sh, const char *key, const char *v, char *cex,
			size_t cex_len)
{
	struct explore_result *r = &sh->res;
	char word[32];
	u64 n = 0;

	if (!strcmp(key, "exploration"))
		return shard_string(v, sh->exploration, sizeof(sh->exploration));
	if (!strcmp(key, "incomplete_because"))
		return shard_string(v, r->incomplete, sizeof(r->incomplete));
	if (!strcmp(key, "counterexample"))
		return shard_string(v, cex, cex_len);
	if (!strcmp(key, "violation"))
		return shard_string(v, r->violation.msg, sizeof(r->violation.msg));
	if (!strcmp(key, "format"))
		return shard_string(v, word, sizeof(word)) || strcmp(word, EXPLORE_SHARD_FORMAT);
	if (!strcmp(key, "verdict"))
		return shard_string(v, word, sizeof(word)) || shard_verdict(word, &r->verdict);
	if (!strcmp(key, "state_table_full")) {
		r->stats.table_full = !strncmp(v, "true", 4);
		return 0;
	}
	if (!strcmp(key, "bound_explored_in_full")) {
		r->bound_done = (int)strtol(v, NULL, 10);
		return 0;
	}
	if (shard_number(v, &n))
		return -1;
	if (!strcmp(key, "shard"))
		sh->index = (u32)MIN(n, UINT32_MAX);
	else if (!strcmp(key, "shards"))
		sh->count = (u32)MIN(n, UINT32_MAX);
	else if (!strcmp(key, "units"))
		r->units = n;
	else if (!strcmp(key, "schedules"))
		r->stats.schedules = n;
	else if (!strcmp(key, "cut_at_visited_state"))
		r->stats.cut = n;
	else if (!strcmp(key, "unique_states"))
		r->stats.states = n;
	else if (!strcmp(key, "steps"))
		r->stats.steps = n;
	else if (!strcmp(key, "schedules_with_faults"))
		r->stats.faulted = n;
	else if (!strcmp(key, "bound"))
		r->stats.bound = (u32)MIN(n, UINT32_MAX);
	else if (!strcmp(key, "cex_order"))
		r->cex_order = n;
	return 0;
}

static int shard_read(FILE *f, const char *path, struct explore_shard *sh, char *cex,
		      size_t cex_len, struct secsoc_error *err)
{
	char line[SHARD_LINE_MAX], key[32];
	int off, lineno = 0;

	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == ','))
			line[--n] = '\0';
		if (sscanf(line, " \"%31[a-z_]\": %n", key, &off) != 1)
			continue;
		if (shard_member(sh, key, line + off, cex, cex_len))
			return input_error(err, "%s:%d: cannot read member '%s' (not a shard "
					   "result of this secsoc?)", path, lineno, key);
	}
	if (!sh->count || !sh->exploration[0])
		return input_error(err, "%s: not a shard result (no exploration or shard count)",
				   path);
	return 0;
}

/* Load @path's shard and, on a violation, the schedule file it names (beside it). */
static int shard_load(const char *dir, const char *name, struct explore_shard *sh,
		      struct secsoc_error *err)
{
	char path[SHARD_PATH_MAX], cex[256] = "";
	FILE *f;
	int ret;

	memset(sh, 0, sizeof(*sh));
	explore_result_init(&sh->res);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return input_error(err, "cannot read '%s': %s", path, strerror(errno));
	ret = shard_read(f, path, sh, cex, sizeof(cex), err);
	fclose(f);
	if (ret || sh->res.verdict != EXPLORE_VIOLATION)
		return ret;
	if (!cex[0] || strchr(cex, '/'))
		return input_error(err, "%s: a violation without its schedule file", path);
	snprintf(path, sizeof(path), "%s/%s", dir, cex);
	return schedule_load(path, &sh->res.counterexample, err);
}

void explore_shards_free(struct explore_shard *shards, u32 count)
{
	for (u32 i = 0; shards && i < count; i++)
		explore_result_free(&shards[i].res);
	free(shards);
}

/* The set being loaded: @set[i] holds shard i once @seen[i]. */
struct shard_set {
	struct explore_shard *set;
	bool *seen;
	u32 count;
	char exploration[EXPLORE_EXPLORATION_MAX];	/* the first shard's */
};

/* Add @sh (read from @path) to @s, checking it belongs to the same exploration. */
static int shard_add(struct shard_set *s, struct explore_shard *sh, const char *path,
		     struct secsoc_error *err)
{
	if (!s->set) {
		if (sh->count > EXPLORE_PARTS_MAX)
			return input_error(err, "%s: %u shards, at most %d", path, sh->count,
					   EXPLORE_PARTS_MAX);
		s->count = sh->count;
		s->set = calloc(s->count, sizeof(*s->set));
		s->seen = calloc(s->count, sizeof(*s->seen));
		if (!s->set || !s->seen)
			return internal_error(err, "out of memory for %u shards", s->count);
		memcpy(s->exploration, sh->exploration, sizeof(s->exploration));
	} else if (sh->count != s->count || strcmp(sh->exploration, s->exploration)) {
		return input_error(err, "%s is a shard of another exploration (%u shards: %s; "
				   "the others: %u shards: %s)", path, sh->count, sh->exploration,
				   s->count, s->exploration);
	}
	if (sh->index >= s->count)
		return input_error(err, "%s: shard %u of %u does not exist", path, sh->index,
				   s->count);
	if (s->seen[sh->index])
		return input_error(err, "shard %u of %u is given twice (again in %s)", sh->index,
				   s->count, path);
	s->seen[sh->index] = true;
	s->set[sh->index] = *sh;
	memset(sh, 0, sizeof(*sh));
	return 0;
}

/* Every shard-I-of-N.json in @dir. */
static int shard_dir(struct shard_set *s, const char *dir, struct secsoc_error *err)
{
	struct explore_shard sh;
	struct dirent *e;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d)
		return input_error(err, "--merge: cannot read directory '%s': %s", dir,
				   strerror(errno));
	while (!ret && (e = readdir(d))) {
		char path[SHARD_PATH_MAX];
		unsigned int i, n;
		int end = 0;

		if (sscanf(e->d_name, "shard-%u-of-%u.json%n", &i, &n, &end) != 2 ||
		    e->d_name[end])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ret = shard_load(dir, e->d_name, &sh, err) ?: shard_add(s, &sh, path, err);
		explore_result_free(&sh.res);
	}
	closedir(d);
	return ret;
}

/* The error naming the missing shards (the first few). */
static int shard_missing(const struct shard_set *s, struct secsoc_error *err)
{
	char list[128] = "";
	u32 missing = 0;
	size_t n = 0;

	for (u32 i = 0; i < s->count; i++) {
		if (s->seen[i])
			continue;
		if (missing++ < 8 && n < sizeof(list))
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%u", n ? ", " : "", i);
	}
	if (!missing)
		return 0;
	return input_error(err, "--merge: %u of %u shards missing: %s%s", missing, s->count, list,
			   missing > 8 ? ", ..." : "");
}

int explore_shards_load(const char *const *dirs, unsigned int ndirs,
			struct explore_shard **shards, u32 *count, struct secsoc_error *err)
{
	struct shard_set s = { 0 };
	int ret = 0;

	for (unsigned int i = 0; !ret && i < ndirs; i++)
		ret = shard_dir(&s, dirs[i], err);
	if (!ret && !s.set)
		ret = input_error(err, "--merge: no shard result (shard-I-of-N.json) in %s%s",
				  ndirs ? dirs[0] : "no directory", ndirs > 1 ? ", ..." : "");
	if (!ret)
		ret = shard_missing(&s, err);
	free(s.seen);
	if (ret) {
		explore_shards_free(s.set, s.count);
		return ret;
	}
	*shards = s.set;
	*count = s.count;
	return 0;
}
