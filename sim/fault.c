/*
 * fault.c - the fault-site table (from the SECSOC_FAULT_SITES X-macro) and
 * the --faults specification: "site:prob[,site:prob...]".
 *
 * Owns validation of a spec before a run starts, so a typo in a site name is
 * an input error rather than a fault that silently never fires.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/fault.h>
#include <secsoc/prng.h>

/* Longest "site:prob" element accepted; longer ones are reported. */
#define FAULT_ELEMENT_MAX 128

static const char *const fault_names[FAULT_NR_SITES] = {
#define FAULT_NAME(id, name, help) [FAULT_##id] = name,
	SECSOC_FAULT_SITES(FAULT_NAME)
#undef FAULT_NAME
};

static const char *const fault_helps[FAULT_NR_SITES] = {
#define FAULT_HELP(id, name, help) [FAULT_##id] = help,
	SECSOC_FAULT_SITES(FAULT_HELP)
#undef FAULT_HELP
};

/**
 * fault_site_name - the spec name of a site
 * @site: a site below FAULT_NR_SITES
 *
 * Return: the name, or "?" for an out-of-range value.
 */
const char *fault_site_name(enum fault_site site)
{
	return (unsigned int)site < FAULT_NR_SITES ? fault_names[site] : "?";
}

/**
 * fault_site_help - one line saying what firing the site does
 * @site: a site below FAULT_NR_SITES
 *
 * Return: the help text, or "" for an out-of-range value.
 */
const char *fault_site_help(enum fault_site site)
{
	return (unsigned int)site < FAULT_NR_SITES ? fault_helps[site] : "";
}

static int fault_site_lookup(const char *name)
{
	int i;

	for (i = 0; i < FAULT_NR_SITES; i++)
		if (!strcmp(fault_names[i], name))
			return i;
	return -1;
}

static void fault_known_sites(char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < FAULT_NR_SITES && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 fault_names[i]);
}

/*
 * A probability p becomes round(p * 2^32); p == 1 (and anything that rounds
 * to 2^32) saturates to PRNG_Q32_ALWAYS, which prng_chance treats as always.
 */
static u32 fault_prob_to_q32(double p)
{
	u64 q = (u64)(p * 4294967296.0 + 0.5);	/* p is in [0, 1]: round half up */

	return q >= PRNG_Q32_ALWAYS ? PRNG_Q32_ALWAYS : (u32)q;
}

/*
 * strtod() reports a value too large or too small for a double with ERANGE.
 * Too small and positive ("1e-400") is a valid probability that rounds to 0;
 * too large, or a tiny negative one, is out of range rather than "not a
 * number". Only the spellings "inf" and "nan" are not numbers.
 */
static int fault_parse_prob(const char *elem, const char *text, double *p,
			    struct secsoc_error *err)
{
	bool out_of_range;
	char *end;

	errno = 0;
	*p = strtod(text, &end);
	out_of_range = errno == ERANGE;
	if (!*text || *end || isnan(*p) || (isinf(*p) && !out_of_range))
		return input_error(err, "fault spec element '%s': probability '%s' is not a number",
				   elem, text);
	if (out_of_range && isfinite(*p) && !signbit(*p)) {
		*p = 0.0;
		out_of_range = false;
	}
	if (out_of_range || *p < 0.0 || *p > 1.0)
		return input_error(err,
				   "fault spec element '%s': probability %s is not between 0 and 1",
				   elem, text);
	return 0;
}

static int fault_parse_element(const char *elem, unsigned int index, struct fault_spec *spec,
			       struct secsoc_error *err)
{
	char name[FAULT_ELEMENT_MAX], known[256];
	const char *colon = strchr(elem, ':');
	double p;
	int site, ret;

	if (!*elem)
		return input_error(err, "fault spec element %u is empty", index);
	if (!colon)
		return input_error(err, "fault spec element '%s' needs a probability, as %s:0.01",
				   elem, elem);
	snprintf(name, sizeof(name), "%.*s", (int)(colon - elem), elem);
	site = fault_site_lookup(name);
	if (site < 0) {
		fault_known_sites(known, sizeof(known));
		return input_error(err,
				   "fault spec element '%s': unknown fault site '%s' (known: %s)",
				   elem, name, known);
	}
	ret = fault_parse_prob(elem, colon + 1, &p, err);
	if (ret)
		return ret;
	if (spec->enabled[site])
		return input_error(err, "fault spec element '%s': site '%s' is given twice",
				   elem, name);
	spec->enabled[site] = true;
	spec->prob[site] = p;
	spec->prob_q32[site] = fault_prob_to_q32(p);
	return 0;
}

/**
 * fault_spec_parse - parse "site:prob[,site:prob...]"
 * @text: the spec, e.g. "irq-delay:0.01"; NULL or "" enables nothing
 * @spec: filled on success (cleared on failure)
 * @err: names the bad element
 *
 * Return: 0, or -EINVAL with @err set.
 */
int fault_spec_parse(const char *text, struct fault_spec *spec, struct secsoc_error *err)
{
	char elem[FAULT_ELEMENT_MAX];
	unsigned int index = 1;
	const char *p = text;
	size_t len;
	int ret;

	memset(spec, 0, sizeof(*spec));
	if (!text || !*text)
		return 0;
	for (;;) {
		len = strcspn(p, ",");
		if (len >= sizeof(elem)) {
			memset(spec, 0, sizeof(*spec));
			return input_error(err,
					   "fault spec element %u is longer than %zu characters",
					   index, sizeof(elem) - 1);
		}
		memcpy(elem, p, len);
		elem[len] = '\0';
		ret = fault_parse_element(elem, index, spec, err);
		if (ret) {
			memset(spec, 0, sizeof(*spec));
			return ret;
		}
		if (!p[len])
			return 0;
		p += len + 1;
		index++;
	}
}

/* Shortest decimal that reads back as the same double, so format/parse round-trip. */
static void fault_format_prob(double p, char *buf, size_t len)
{
	snprintf(buf, len, "%.15g", p);
	if (strtod(buf, NULL) != p)
		snprintf(buf, len, "%.17g", p);
}

/**
 * fault_spec_format - write the spec back in canonical form ("" if empty)
 * @spec: a parsed spec
 * @buf: output, always NUL-terminated (truncated if too short)
 * @len: size of @buf, > 0
 *
 * Canonical form lists enabled sites in declaration order.
 */
void fault_spec_format(const struct fault_spec *spec, char *buf, size_t len)
{
	char prob[32];
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < FAULT_NR_SITES && used < len; i++) {
		if (!spec->enabled[i])
			continue;
		fault_format_prob(spec->prob[i], prob, sizeof(prob));
		used += (size_t)snprintf(buf + used, len - used, "%s%s:%s", used ? "," : "",
					 fault_names[i], prob);
	}
}
