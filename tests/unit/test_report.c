/*
 * test_report.c - the report writer renders one description as text and as
 * JSON: exact output for sections, lists, items, rows and every field kind.
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/report.h>

#include "helpers.h"

static void describe(struct report *r)
{
	static const char *const compat[] = { "qcom,bam-v1.7.4", "qcom,bam-v1.7.0" };

	report_str(r, "scenario", "tzc-smoke");
	report_section_begin(r, "simulation");
	report_u64(r, "steps", 8);
	report_bool(r, "ok", true);
	report_section_end(r);
	report_list_begin(r, "devices");
	report_item_begin(r);
	report_str(r, "path", "/soc@0/bam");
	report_strings(r, "compatible", compat, 2);
	report_section_begin(r, "properties");
	report_hex(r, "base", 0x1dc4000);
	report_section_end(r);
	report_item_end(r);
	report_list_end(r);
	report_list_begin(r, "accesses");
	report_row_begin(r);
	report_str(r, "master", "cpu0");
	report_str(r, "reason", "NSAID read not enabled");
	report_str(r, "driver", NULL);
	report_double(r, "p", 0.5);
	report_row_end(r);
	report_list_end(r);
}

static void describe_empty_list(struct report *r)
{
	report_strings(r, "compatible", NULL, 0);
}

static char *render(void (*fn)(struct report *r), bool json)
{
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	report_begin(&r, out, json);
	fn(&r);
	report_end(&r);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void test_text_layout(void **state)
{
	char *text = render(describe, false);

	assert_string_equal(text,
		"scenario: tzc-smoke\n"
		"simulation:\n"
		"  steps: 8\n"
		"  ok: yes\n"
		"devices:\n"
		"  - path: /soc@0/bam\n"
		"    compatible: qcom,bam-v1.7.4, qcom,bam-v1.7.0\n"
		"    properties:\n"
		"      base: 0x1dc4000\n"
		"accesses:\n"
		"  - master=cpu0 reason=\"NSAID read not enabled\" driver=- p=0.5\n");
	free(text);
}

static void test_json_layout(void **state)
{
	char *json = render(describe, true);

	assert_string_equal(json,
		"{\n"
		"  \"scenario\": \"tzc-smoke\",\n"
		"  \"simulation\": {\n"
		"    \"steps\": 8,\n"
		"    \"ok\": true\n"
		"  },\n"
		"  \"devices\": [\n"
		"    {\n"
		"      \"path\": \"/soc@0/bam\",\n"
		"      \"compatible\": [\n"
		"        \"qcom,bam-v1.7.4\",\n"
		"        \"qcom,bam-v1.7.0\"\n"
		"      ],\n"
		"      \"properties\": {\n"
		"        \"base\": \"0x1dc4000\"\n"
		"      }\n"
		"    }\n"
		"  ],\n"
		"  \"accesses\": [\n"
		"    {\n"
		"      \"master\": \"cpu0\",\n"
		"      \"reason\": \"NSAID read not enabled\",\n"
		"      \"driver\": null,\n"
		"      \"p\": 0.5\n"
		"    }\n"
		"  ]\n"
		"}\n");
	free(json);
}

static void test_empty_string_list(void **state)
{
	char *text = render(describe_empty_list, false);
	char *json = render(describe_empty_list, true);

	assert_string_equal(text, "compatible: -\n");
	assert_string_equal(json, "{\n  \"compatible\": []\n}\n");
	free(text);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_layout),
		cmocka_unit_test(test_json_layout),
		cmocka_unit_test(test_empty_string_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
