/*
 * test_jsonout.c - the fast JSON writer (src/http/jsonout.c) gives the very bytes of
 * json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY), which it replaces for every API answer.
 * Checked on the values that are hard to get right (escapes, reals, extremes) and on
 * thousands of random trees of them.
 */
#include "unit.h"

#include "http/jsonout.h"

#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_same(const json_t *j)
{
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t len = 0;
    char *got = jsonout_dump(j, &len);

    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got) != 0)
        fail_msg("jansson: %s\njsonout: %s", want, got);
    assert_int_equal(len, strlen(want));
    free(want);
    free(got);
}

static void the_hard_values_come_out_as_jansson_writes_them(void **state)
{
    static const double reals[] = {0.0,     -0.0,     1.0,       -1.5,    0.1,     1e-7,
                                   1e21,    1e100,    -2.5e-300, DBL_MAX, DBL_MIN, 123456.789,
                                   3.14159, 100000.0, 1e16,      1e17,    5e-324};
    static const char *const strings[] = {"",
                                          "plain",
                                          "引号\"与\\反斜杠",
                                          "tab\there\nnewline\rcr\bbs\fff",
                                          "\x01\x1f\x7f",
                                          "邻里纠纷：楼上漏水，协商未果",
                                          "emoji \xF0\x9F\x98\x80 and U+2028 \xE2\x80\xA8",
                                          "/slash/"};
    json_t *j;

    (void)state;
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        j = json_real(reals[i]);
        assert_same(j);
        json_decref(j);
    }
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        j = json_string(strings[i]);
        assert_non_null(j);
        assert_same(j);
        json_decref(j);
    }
    j = json_stringn("nul\0inside", 10);
    assert_same(j);
    json_decref(j);
    j = json_pack("{s:I, s:I, s:b, s:b, s:n, s:[], s:{}, s:[i, [], {}], s:s}", "max",
                  (json_int_t)INT64_MAX, "min", (json_int_t)INT64_MIN, "t", 1, "f", 0, "null",
                  "empty_array", "empty_object", "nested", 1, "键\"", "v");
    assert_non_null(j);
    assert_same(j);
    json_decref(j);
}

static uint32_t seed = 12345;

static uint32_t rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

/* A random valid UTF-8 string of ASCII, control characters, quotes and Chinese. */
static json_t *random_string(void)
{
    static const char *const bits[] = {"a",    "Z",    "0", " ",  "\"", "\\",   "\n",
                                       "\x01", "\x1e", "/", "纠", "纷", "调解", "\xF0\x9F\x98\x80",
                                       "\t",   "é"};
    char s[128] = "";
    int n = (int)(rnd() % 12);

    for (int i = 0; i < n; i++)
        strcat(s, bits[rnd() % (sizeof bits / sizeof bits[0])]);
    return json_string(s);
}

static json_t *random_value(int depth)
{
    int kind = (int)(rnd() % (depth > 4 ? 6 : 8));
    json_t *j;

    switch (kind) {
    case 0:
        return json_null();
    case 1:
        return json_boolean(rnd() & 1);
    case 2:
        return json_integer((json_int_t)rnd() * (rnd() & 1 ? -1 : 1) * (rnd() % 1000));
    case 3:
        return json_real((double)(int32_t)rnd() / (double)(rnd() % 100000 + 1) *
                         (rnd() % 3 ? 1 : 1e12));
    case 4:
    case 5:
        return random_string();
    case 6:
        j = json_array();
        for (int i = (int)(rnd() % 5); i > 0; i--)
            json_array_append_new(j, random_value(depth + 1));
        return j;
    default:
        j = json_object();
        for (int i = (int)(rnd() % 6); i > 0; i--) {
            json_t *k = random_string();
            json_object_set_new(j, json_string_value(k), random_value(depth + 1));
            json_decref(k);
        }
        return j;
    }
}

static void random_trees_come_out_as_jansson_writes_them(void **state)
{
    (void)state;
    for (int i = 0; i < 5000; i++) {
        json_t *j = random_value(0);
        assert_same(j);
        json_decref(j);
    }
}

static void a_tree_deeper_than_jansson_reads_is_refused(void **state)
{
    json_t *root = json_array(), *a = root;

    (void)state;
    for (int i = 0; i < 3000; i++) {
        json_t *next = json_array();
        json_array_append_new(a, next);
        a = next;
    }
    assert_null(jsonout_dump(root, NULL));
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_hard_values_come_out_as_jansson_writes_them),
        cmocka_unit_test(random_trees_come_out_as_jansson_writes_them),
        cmocka_unit_test(a_tree_deeper_than_jansson_reads_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
