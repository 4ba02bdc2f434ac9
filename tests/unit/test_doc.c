/* test_doc.c - the document template renderer. */
#include "unit.h"

#include "doc/doc.h"

#include <stdlib.h>
#include <string.h>

static char *render(const char *tpl, const char *json)
{
    char err[128];
    json_t *ctx = json_loads(json, 0, NULL);
    char *out = doc_render(tpl, ctx, err, sizeof err);
    json_decref(ctx);
    return out;
}

static void values_are_escaped(void **state)
{
    char *out = render("<p>{{a.b}} {{n}} {{missing}}</p>", "{\"a\":{\"b\":\"<x & 'y'>\"},\"n\":3}");
    assert_string_equal(out, "<p>&lt;x &amp; &#39;y&#39;&gt; 3 </p>");
    free(out);
}

static void sections_repeat_and_invert(void **state)
{
    char *out = render("{{#list}}[{{name}}@{{top}}]{{/list}}{{^list}}none{{/list}}",
                       "{\"top\":\"T\",\"list\":[{\"name\":\"甲\"},{\"name\":\"乙\"}]}");
    assert_string_equal(out, "[甲@T][乙@T]");
    free(out);
    out = render("{{#list}}x{{/list}}{{^list}}none{{/list}}", "{\"list\":[]}");
    assert_string_equal(out, "none");
    free(out);
    out = render("{{#docs}}{{.}};{{/docs}}", "{\"docs\":[\"申请书\",\"身份证明\"]}");
    assert_string_equal(out, "申请书;身份证明;");
    free(out);
    out = render("{{#a}}{{#a}}in{{/a}}{{/a}}", "{\"a\":true}");
    assert_string_equal(out, "in");
    free(out);
}

static void broken_templates_are_reported(void **state)
{
    char err[128];
    json_t *ctx = json_object();
    assert_null(doc_render("{{#open}} never closed", ctx, err, sizeof err));
    assert_non_null(strstr(err, "open"));
    assert_null(doc_render("{{unclosed", ctx, err, sizeof err));
    json_decref(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_escaped),
        cmocka_unit_test(sections_repeat_and_invert),
        cmocka_unit_test(broken_templates_are_reported),
    };
    return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
