/*
 * explore_jobs.c - `--jobs N`: the parts of a partitioned search
 * (explore_part.c) explored by N worker processes on this machine, their
 * results merged by the parent (explore_merge()).
 *
 * Why processes (fork) and not threads: the simulation is single-threaded
 * by design (global fault and trace state, no locks), and a process per
 * part needs nothing shared but two things in an anonymous shared mapping:
 * each worker's statistics, for the parent's progress line, and the lowest
 * search order of a violation found so far, so that a worker stops once
 * all it has left comes later. A worker writes its result to a temporary
 * file that the parent reads after it exits: no pipe to drain while
 * waiting. The parent's only use of time is the pause between two looks
 * at the workers; nothing it decides depends on it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/explore_impl.h"

struct jobs_shared {
	u64 best;
	struct explore_stats live[EXPLORE_PARTS_MAX];
};

/* What a process writes: this, then the counterexample's entries, then the keys. */
struct job_record {
	int ret;
	struct secsoc_error err;
	struct explore_result res;	/* pointers meaningless */
};

/* fwrite() of @n items; none is fine with a NULL @p, which fwrite() may not be given. */
static bool write_items(FILE *f, const void *p, size_t size, size_t n)
{
	return !n || fwrite(p, size, n, f) == n;
}

/* A process's result into @f: the record, the counterexample's entries, the keys. */
static int explore_record_write(FILE *f, int ret, const struct secsoc_error *err,
				const struct explore_result *res)
{
	struct job_record r = { .ret = ret, .err = *err, .res = *res };
	const struct schedule *cex = &res->counterexample;

	rewind(f);
	if (!write_items(f, &r, sizeof(r), 1) ||
	    !write_items(f, cex->entries, sizeof(*cex->entries), cex->count) ||
	    !write_items(f, res->keys, sizeof(*res->keys), res->nkeys))
		return -EIO;
	return fflush(f) ? -EIO : 0;
}

static void job_child(const struct explore_target *t, const struct sim_config *base,
		      const struct explore_limits *lim, enum explore_kind kind,
		      struct explore_part part, struct jobs_shared *sh, FILE *f)
{
	struct explore_target quiet = *t;
	struct secsoc_error err = { 0 };
	struct explore_result res;
	int ret;

	quiet.progress = NULL;
	part.keep_keys = true;
	ret = explore_part_run(&quiet, base, lim, kind, &part, &sh->best,
			       &sh->live[part.index], &res, &err);
	_exit(explore_record_write(f, ret, &err, &res) ? 3 : 0);
}

/* Read process @w's result into @res. Return: the process's own return or an errno. */
static int explore_record_read(FILE *f, u32 w, struct explore_result *res,
			       struct secsoc_error *err)
{
	struct job_record r;
	struct schedule *cex = &res->counterexample;

	rewind(f);
	if (fread(&r, sizeof(r), 1, f) != 1)
		return internal_error(err, "explore: worker %u left no result", w);
	if (r.ret) {
		*err = r.err;
		return r.ret;
	}
	*res = r.res;
	cex->entries = calloc(MAX(cex->count, 1), sizeof(*cex->entries));
	cex->capacity = cex->count;
	res->keys = malloc(MAX(res->nkeys, 1) * sizeof(*res->keys));
	if (!cex->entries || !res->keys)
		return internal_error(err, "explore: out of memory reading worker %u", w);
	if (fread(cex->entries, sizeof(*cex->entries), cex->count, f) != cex->count ||
	    fread(res->keys, sizeof(*res->keys), res->nkeys, f) != res->nkeys)
		return internal_error(err, "explore: worker %u's result is truncated", w);
	return 0;
}

/* The workers' summed statistics, for the progress line. */
static void jobs_progress(const struct explore_target *t, const struct jobs_shared *sh, u32 n)
{
	struct explore_stats sum = { 0 };

	for (u32 w = 0; w < n; w++) {
		struct explore_stats st = sh->live[w];	/* a snapshot: the worker runs on */

		explore_stats_add(&sum, &st);
	}
	if (t->progress)
		t->progress(t->ctx, &sum);
}

/* Wait for every worker; @status[w] is its exit status (-1: killed). */
static void jobs_wait(const struct explore_target *t, const struct jobs_shared *sh,
		      const pid_t *pids, int *status, u32 n)
{
	const struct timespec pause = { .tv_nsec = 100000000 };
	u32 left = n;

	while (left) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);

		if (pid <= 0) {
			jobs_progress(t, sh, n);
			nanosleep(&pause, NULL);
			continue;
		}
		for (u32 w = 0; w < n; w++) {
			if (pids[w] != pid)
				continue;
			status[w] = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
			left--;
		}
	}
	jobs_progress(t, sh, n);
}

/* Collect and merge the workers' results. */
static int jobs_collect(FILE **files, const int *status, u32 n, struct explore_result *res,
			struct secsoc_error *err)
{
	struct explore_result *parts = calloc(n, sizeof(*parts));
	int ret = parts ? 0 : internal_error(err, "explore: out of memory for the results");

	for (u32 w = 0; !ret && w < n; w++) {
		ret = explore_record_read(files[w], w, &parts[w], err);
		if (!ret && status[w])
			ret = internal_error(err, "explore: worker %u failed (status %d)", w,
					     status[w]);
	}
	if (!ret)
		ret = explore_merge(parts, n, res, err);
	for (u32 w = 0; parts && w < n; w++)
		explore_result_free(&parts[w]);
	free(parts);
	return ret;
}

/* Fork the workers; on failure, end those already started. Return: 0 or an errno. */
static int jobs_fork(const struct explore_target *t, const struct sim_config *base,
		     const struct explore_limits *lim, enum explore_kind kind, u32 n,
		     struct jobs_shared *sh, FILE **files, pid_t *pids, struct secsoc_error *err)
{
	fflush(NULL);
	for (u32 w = 0; w < n; w++) {
		files[w] = tmpfile();
		pids[w] = files[w] ? fork() : -1;
		if (!pids[w])
			job_child(t, base, lim, kind, (struct explore_part){ w, n, true }, sh,
				  files[w]);
		if (pids[w] > 0)
			continue;
		for (u32 k = 0; k < w; k++) {
			kill(pids[k], SIGKILL);
			waitpid(pids[k], NULL, 0);
		}
		return internal_error(err, "explore: cannot start worker %u: %s", w,
				      strerror(errno));
	}
	return 0;
}

int explore_jobs(const struct explore_target *t, const struct sim_config *base,
		 const struct explore_limits *lim, enum explore_kind kind, u32 jobs,
		 struct explore_result *res, struct secsoc_error *err)
{
	struct jobs_shared *sh;
	FILE **files;
	pid_t *pids;
	int *status, ret;

	if (jobs <= 1)
		return kind == EXPLORE_DFS ? explore_dfs(t, base, lim, res, err) :
					     explore_bfs(t, base, lim, res, err);
	explore_result_init(res);
	if (jobs > EXPLORE_PARTS_MAX)
		return input_error(err, "explore: %u jobs, at most %d", jobs, EXPLORE_PARTS_MAX);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	files = calloc(jobs, sizeof(*files));
	pids = calloc(jobs, sizeof(*pids));
	status = calloc(jobs, sizeof(*status));
	if (sh == MAP_FAILED || !files || !pids || !status) {
		ret = internal_error(err, "explore: out of memory for %u workers", jobs);
		goto out;
	}
	sh->best = UINT64_MAX;
	ret = jobs_fork(t, base, lim, kind, jobs, sh, files, pids, err);
	if (!ret) {
		jobs_wait(t, sh, pids, status, jobs);
		ret = jobs_collect(files, status, jobs, res, err);
	}
out:
	for (u32 w = 0; files && w < jobs; w++)
		if (files[w])
			fclose(files[w]);
	if (sh != MAP_FAILED)
		munmap(sh, sizeof(*sh));
	free(files);
	free(pids);
	free(status);
	return ret;
}
