/* test_text.c - search terms: normalisation (OpenCC t2s, folding) and bigram tokens. */
#include "unit.h"

#include "text/text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct text *t;

static int open_text(void **state)
{
    char err[256] = "";

    t = text_open(err, sizeof err);
    if (t == NULL)
        fprintf(stderr, "text_open: %s\n", err);
    return t == NULL ? -1 : 0;
}

static int close_text(void **state)
{
    text_close(t);
    return 0;
}

/* Decodes hex tokens back to text ("e7baa0e7bab7 616263" -> "纠纷 abc") so tests read. */
static char *unhex(const char *tokens)
{
    size_t len = strlen(tokens);
    char *out = malloc(len / 2 + len + 1), *w = out;

    assert_non_null(out);
    for (const char *p = tokens; *p != '\0';) {
        if (*p == ' ') {
            *w++ = *p++;
            continue;
        }
        unsigned v;
        assert_int_equal(sscanf(p, "%2x", &v), 1);
        *w++ = (char)v;
        p += 2;
    }
    *w = '\0';
    return out;
}

static char *tokens_of(const char *text)
{
    char *norm = text_normalise(t, text), *tok, *plain;

    assert_non_null(norm);
    tok = text_bigrams(norm);
    assert_non_null(tok);
    plain = unhex(tok);
    free(norm);
    free(tok);
    return plain;
}

static void assert_tokens(const char *text, const char *want)
{
    char *got = tokens_of(text);

    assert_string_equal(got, want);
    free(got);
}

static void assert_normalises(const char *text, const char *want)
{
    char *got = text_normalise(t, text);

    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* 1 if every space-separated token of `query` occurs among those of `doc`. */
static int subset(const char *query, const char *doc)
{
    char *q = strdup(query), *save = NULL;
    int ok = 1;

    assert_non_null(q);
    for (char *tok = strtok_r(q, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        size_t l = strlen(tok);
        const char *p = doc;
        int found = 0;

        while (!found && (p = strstr(p, tok)) != NULL) {
            found = (p == doc || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0');
            p += l;
        }
        ok = ok && found;
    }
    free(q);
    return ok;
}

/* Does a search for `query` find `doc`, as the store would (token subset)? */
static int finds(const char *query, const char *doc)
{
    char *norm = text_normalise(t, doc), *index = text_bigrams(norm), *q = NULL;
    int ok;

    assert_int_equal(text_query(t, query, &q), TEXT_OK);
    ok = subset(q, index);
    free(norm);
    free(index);
    free(q);
    return ok;
}

/* Does a search for `query` find a case numbered `number` (text_number_terms)? */
static int finds_number(const char *query, const char *number)
{
    char *index = text_number_terms(number), *q = NULL;
    int ok;

    assert_non_null(index);
    assert_int_equal(text_query(t, query, &q), TEXT_OK);
    ok = subset(q, index);
    free(index);
    free(q);
    return ok;
}

static void a_case_number_is_found_whole_or_in_part(void **state)
{
    const char *n = "（2026）涪城人调字第11894号";
    char *none;

    (void)state;
    assert_true(finds_number("（2026）涪城人调字第11894号", n));
    assert_true(finds_number("(2026)涪城人调字第11894号", n));
    assert_true(finds_number("〔2026〕涪城人调字第11894号", n));
    assert_true(finds_number(" [2026] 涪城人调字第11894号 ", n));
    assert_true(finds_number("1894", n));
    assert_true(finds_number("189", n));
    assert_true(finds_number("11894", n));
    assert_true(finds_number("涪城人调字第11894", n));
    assert_true(finds_number("（2026）1894", n));
    assert_true(finds_number("FC-2026-0007", "FC-2026-0007"));
    assert_true(finds_number("2026", "fc2026x0007"));
    assert_false(finds_number("1895", n));
    assert_false(finds_number("2025", n));
    assert_false(finds_number("（2026）涪城人调字第11895号", n));
    /* A digit run longer than the bound is read only that far, and no token repeats. */
    none = text_number_terms("第12345678901234567890号");
    assert_non_null(none);
    assert_true(subset("31323334353637383930313233343536", none));    /* 16 digits */
    assert_false(subset("3132333435363738393031323334353637", none)); /* 17 */
    assert_false(subset("3233343536373839303132333435363738", none)); /* 17 */
    free(none);
    none = text_number_terms("（）");
    assert_string_equal(none, "");
    free(none);
    assert_null(text_number_terms(NULL));
}

static void traditional_and_simplified_normalise_alike(void **state)
{
    char *a = tokens_of("鄰里糾紛"), *b = tokens_of("邻里纠纷");

    assert_string_equal(a, b);
    assert_string_equal(a, "邻里 里纠 纠纷");
    free(a);
    free(b);
    assert_normalises("張三與李四的土地糾紛", "张三与李四的土地纠纷");
}

static void normalise_folds_width_case_and_punctuation(void **state)
{
    assert_normalises("ＡＢＣ－１２３，张三　与李四！", "abc 123 张三 与李四");
    assert_normalises("  Hello,\tWORLD\n  ", "hello world");
    assert_normalises("（2024）川0703民初123号", "2024 川0703民初123号");
    assert_normalises("阿卜杜拉·买买提", "阿卜杜拉 买买提");
    /* Invalid UTF-8 and control characters separate like punctuation. */
    assert_normalises("纠\xff纷\x01x", "纠 纷 x");
    assert_normalises("", "");
    assert_normalises("。，！", "");
    /* Other scripts are separators, not indexed. */
    assert_normalises("café カフェ 카페", "caf");
    assert_null(text_normalise(t, NULL));
}

static void bigrams_of_mixed_text(void **state)
{
    assert_tokens("张三与李四 ABC-123 纠纷", "张三 三与 与李 李四 abc 123 纠纷");
    /* A lone ideograph is a token of its own, so one-character names are found. */
    assert_tokens("王 芳", "王 芳");
    assert_tokens("3号楼2单元", "3 号楼 2 单元");
    /* Ideographs outside the BMP and 〇 count as ideographs. */
    assert_tokens("𠮷野 二〇二四年", "𠮷野 二〇 〇二 二四 四年");
    /* Repeats are kept, in document order (FTS5 phrase queries need positions). */
    assert_tokens("纠纷纠纷", "纠纷 纷纠 纠纷");
    assert_tokens("", "");
}

static void tokens_are_lowercase_hex(void **state)
{
    char *tok = text_bigrams("纠纷 abc");

    assert_string_equal(tok, "e7baa0e7bab7 616263");
    free(tok);
    /* text_bigrams also folds ASCII case when given raw text. */
    tok = text_bigrams("ABC");
    assert_string_equal(tok, "616263");
    free(tok);
    assert_null(text_bigrams(NULL));
}

static void query_matches_documents_containing_it(void **state)
{
    assert_true(finds("纠纷", "邻里纠纷"));
    assert_true(finds("糾紛", "邻里纠纷"));
    assert_true(finds("邻里纠纷", "鄰里糾紛調解"));
    assert_true(finds("张三", "申请人张三与被申请人李四"));
    assert_true(finds("ABC", "合同编号 abc-123"));
    assert_true(finds("王 芳", "当事人 王 芳"));
    assert_false(finds("张三", "邻里纠纷"));
    assert_false(finds("纠纷 abc", "邻里纠纷"));
    assert_false(finds("里纠纷", "邻里 纠纷"));
}

static void query_tokens_are_distinct(void **state)
{
    char *q = NULL, *plain;

    assert_int_equal(text_query(t, "纠纷纠纷 ABC abc", &q), TEXT_OK);
    plain = unhex(q);
    assert_string_equal(plain, "纠纷 纷纠 abc");
    free(plain);
    free(q);
}

static void short_queries_are_refused(void **state)
{
    char *q = (char *)"untouched";

    assert_int_equal(text_query(t, "纠", &q), TEXT_ESHORT);
    assert_null(q);
    assert_int_equal(text_query(t, "纠！！", &q), TEXT_ESHORT);
    assert_int_equal(text_query(t, "", &q), TEXT_ESHORT);
    assert_int_equal(text_query(t, "。，", &q), TEXT_ESHORT);
    assert_int_equal(text_query(t, NULL, &q), TEXT_ESHORT);
    /* An ASCII word alone is enough (case numbers, names in pinyin). */
    assert_int_equal(text_query(t, "2024", &q), TEXT_OK);
    free(q);
    assert_int_equal(text_query(t, "王 芳", &q), TEXT_OK);
    free(q);
}

static void long_input_is_bounded(void **state)
{
    size_t big = 4 * TEXT_MAX_INPUT;
    char *text = malloc(big + 1), *norm, *tok;
    int n = 0;

    /* 256 KiB of ideographs: only the first 64 KiB are read, cut on a character. */
    for (size_t i = 0; i + 6 <= big; i += 6)
        memcpy(text + i, "纠纷", 6);
    text[big - big % 6] = '\0';
    norm = text_normalise(t, text);
    assert_non_null(norm);
    assert_true(strlen(norm) <= TEXT_MAX_INPUT);
    assert_int_equal(strlen(norm) % 3, 0);
    tok = text_bigrams(norm);
    for (const char *p = tok; *p != '\0'; p++)
        n += *p == ' ';
    assert_int_equal(n + 1, (int)(strlen(norm) / 3) - 1);
    free(tok);
    free(norm);
    /* One-letter words: the token cap holds. */
    for (size_t i = 0; i + 2 <= big; i += 2)
        memcpy(text + i, "a ", 2);
    text[big] = '\0';
    tok = text_bigrams(text);
    n = 0;
    for (const char *p = tok; *p != '\0'; p++)
        n += *p == ' ';
    assert_int_equal(n + 1, TEXT_MAX_TOKENS);
    free(tok);
    /* A long word is cut to TEXT_MAX_WORD bytes. */
    memset(text, 'x', 1000);
    text[1000] = '\0';
    tok = text_bigrams(text);
    assert_int_equal(strlen(tok), 2 * TEXT_MAX_WORD);
    free(tok);
    free(text);
}

static void long_queries_are_refused(void **state)
{
    char q[TEXT_MAX_QUERY + 2], *out = NULL;

    memset(q, 'a', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    assert_int_equal(text_query(t, q, &out), TEXT_ELONG);
    assert_null(out);
    /* 100 distinct words: more tokens than a query may have. */
    q[0] = '\0';
    for (int i = 0; i < 100; i++)
        snprintf(q + strlen(q), sizeof q - strlen(q), "w%d ", i);
    assert_int_equal(text_query(t, q, &out), TEXT_ELONG);
    assert_null(out);
}

static void open_refuses_a_config_that_is_not_t2s(void **state)
{
    char err[256] = "";
    struct text *other;

    setenv(TEXT_OPENCC_ENV, "/usr/share/opencc/s2t.json", 1);
    other = text_open(err, sizeof err);
    assert_null(other);
    assert_non_null(strstr(err, "does not convert Traditional to Simplified"));
    setenv(TEXT_OPENCC_ENV, "/nonexistent/t2s.json", 1);
    other = text_open(err, sizeof err);
    assert_null(other);
    assert_non_null(strstr(err, "cannot be read"));
    unsetenv(TEXT_OPENCC_ENV);
}

static void *normalise_many(void *arg)
{
    for (int i = 0; i < 200; i++) {
        char *s = text_normalise(t, "鄰里糾紛，張三與李四");

        if (s == NULL || strcmp(s, "邻里纠纷 张三与李四") != 0) {
            free(s);
            return (void *)1;
        }
        free(s);
    }
    return NULL;
}

static void one_handle_serves_many_threads(void **state)
{
    pthread_t th[8];
    void *rc;

    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, normalise_many, NULL), 0);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(th[i], &rc), 0);
        assert_null(rc);
    }
}

/* text_simplify folds script and width like text_normalise but keeps punctuation, newlines
 * and case: the risk reader scopes a negation to its clause. */
static void simplify_keeps_clause_boundaries(void **state)
{
    char *s;

    (void)state;
    s = text_simplify(t, "申請人稱：被申請人沒有揚言報復！ＡＢＣ１２３，\n經核實不存在。");
    assert_non_null(s);
    assert_string_equal(s, "申请人称:被申请人没有扬言报复!ABC123,\n经核实不存在。");
    free(s);
    s = text_simplify(t, "a\x01\tb\xff");
    assert_non_null(s);
    assert_string_equal(s, "a  b "); /* controls but newline, and invalid bytes, are spaces */
    free(s);
    assert_null(text_simplify(t, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(traditional_and_simplified_normalise_alike),
        cmocka_unit_test(simplify_keeps_clause_boundaries),
        cmocka_unit_test(normalise_folds_width_case_and_punctuation),
        cmocka_unit_test(bigrams_of_mixed_text),
        cmocka_unit_test(tokens_are_lowercase_hex),
        cmocka_unit_test(query_matches_documents_containing_it),
        cmocka_unit_test(query_tokens_are_distinct),
        cmocka_unit_test(short_queries_are_refused),
        cmocka_unit_test(a_case_number_is_found_whole_or_in_part),
        cmocka_unit_test(long_input_is_bounded),
        cmocka_unit_test(long_queries_are_refused),
        cmocka_unit_test(open_refuses_a_config_that_is_not_t2s),
        cmocka_unit_test(one_handle_serves_many_threads),
    };

    return cmocka_run_group_tests(tests, open_text, close_text);
}
