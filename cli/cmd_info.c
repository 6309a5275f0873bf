/*
 * cmd_info.c - `secsoc info` and `secsoc scenarios`: what the board has and
 * what can be run on it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "scenarios/scenario.h"

static const char info_help[] =
	"usage: secsoc info [--dtb F | --dts F] [--json]\n"
	"Boots the board (hardware, secure firmware, normal-world drivers) without running\n"
	"anything and lists every device-tree node with a model or driver: path,\n"
	"compatibles, model and version, bound driver, key properties. docs/cli.md\n"
	"documents the JSON fields.\n";

enum { INFO_DTB = 256, INFO_DTS, INFO_JSON, INFO_HELP };

static const struct option info_longopts[] = {
	{ "dtb", required_argument, NULL, INFO_DTB },
	{ "dts", required_argument, NULL, INFO_DTS },
	{ "json", no_argument, NULL, INFO_JSON },
	{ "help", no_argument, NULL, INFO_HELP },
	{ NULL, 0, NULL, 0 },
};

static void report_board(struct machine *m, bool json)
{
	struct report r;
	const char *model = NULL;

	report_begin(&r, stdout, json);
	report_str(&r, "secsoc", SECSOC_VERSION);
	report_str(&r, "board", m->dt->source);
	dt_prop_string(&m->dt->nodes[0], "model", &model, NULL);
	report_str(&r, "model", model ? model : "-");
	report_bool(&r, "secure_world", m->has_tee);
	soc_report_devices(m->soc, &r);
	report_end(&r);
}

static int info_run(const char *dtb, const char *dts, bool json)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { 0 };
	struct machine m;
	int ret = machine_open(&m, dtb, dts, &cfg, 0, &err);

	if (!ret)
		report_board(&m, json);
	machine_close(&m);
	return ret ? cli_fail(&err) : 0;
}

struct info_cli {
	const char *dtb;
	const char *dts;
	bool json;
};

static int info_option(void *ctx, int opt, const char *arg, struct secsoc_error *err)
{
	struct info_cli *c = ctx;

	switch (opt) {
	case INFO_DTB: c->dtb = arg; break;
	case INFO_DTS: c->dts = arg; break;
	case INFO_JSON: c->json = true; break;
	}
	return 0;
}

int cmd_info(int argc, char **argv)
{
	struct info_cli c = { 0 };
	int ret = cli_parse_options("info", argc, argv, "", info_longopts, INFO_HELP, info_help,
				    info_option, &c);

	return ret >= 0 ? ret : info_run(c.dtb, c.dts, c.json);
}

static const char scenarios_help[] =
	"usage: secsoc scenarios\n"
	"Lists the scenarios `secsoc run --scenario` accepts, with one line each.\n";

static const struct option scenarios_longopts[] = {
	{ "help", no_argument, NULL, INFO_HELP },
	{ NULL, 0, NULL, 0 },
};

int cmd_scenarios(int argc, char **argv)
{
	int ret = cli_parse_options("scenarios", argc, argv, "", scenarios_longopts, INFO_HELP,
				    scenarios_help, info_option, NULL);	/* --help only */

	if (ret >= 0)
		return ret;
	for (unsigned int i = 0; i < scenario_count; i++)
		printf("%-16s %s\n", scenario_list[i]->name, scenario_list[i]->summary);
	return 0;
}
