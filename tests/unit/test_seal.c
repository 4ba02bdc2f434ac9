/* test_seal.c - sealed fields: key files, sealing, blind index, normalisers, masks. */
#include "unit.h"

#include "seal/seal.h"

#include <sodium.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A private directory for the key files of this run, removed at the end. */
static char dir[64];

static const char key_a[] = "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
static const char key_b[] = "1 f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101\n";

/* Writes a key file with the given mode and returns its path (static buffer per name). */
static const char *write_key(const char *name, const char *text, mode_t mode)
{
    static char path[8][128];
    static int next;
    char *p = path[next++ % 8];
    FILE *f;

    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    unlink(p);
    f = fopen(p, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(p, mode), 0);
    return p;
}

static struct seal *open_key(const char *text)
{
    struct seal *s = NULL;
    char err[256] = "";
    const char *path = write_key("k", text, 0600);

    assert_int_equal(seal_open(&s, path, 0, err, sizeof err), 0);
    assert_non_null(s);
    return s;
}

static int make_dir(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/test_seal.XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int remove_dir(void **state)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void seal_round_trips_text(void **state)
{
    struct seal *s = open_key(key_a);
    const char *values[] = {"", "13812345678", "11010519491231002X",
                            "四川省绵阳市涪城区城厢街道东街 12 号 3 单元"};
    char *long_value = malloc(SEAL_MAX_PLAIN + 2);

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char *sealed = seal_encrypt(s, values[i]), *plain = NULL;

        assert_non_null(sealed);
        assert_memory_equal(sealed, "v1:", 3);
        assert_int_equal(seal_decrypt(s, sealed, &plain), SEAL_OK);
        assert_string_equal(plain, values[i]);
        free(plain);
        free(sealed);
    }
    /* The longest value allowed fits, one byte more is refused. */
    memset(long_value, 'a', SEAL_MAX_PLAIN);
    long_value[SEAL_MAX_PLAIN] = '\0';
    char *sealed = seal_encrypt(s, long_value), *plain = NULL;
    assert_non_null(sealed);
    assert_true(strlen(sealed) <= SEAL_MAX_SEALED);
    assert_int_equal(seal_decrypt(s, sealed, &plain), SEAL_OK);
    assert_string_equal(plain, long_value);
    free(plain);
    free(sealed);
    long_value[SEAL_MAX_PLAIN] = 'a';
    long_value[SEAL_MAX_PLAIN + 1] = '\0';
    assert_null(seal_encrypt(s, long_value));
    assert_null(seal_encrypt(s, NULL));
    free(long_value);
    seal_close(s);
}

static void seal_uses_fresh_nonces_and_hides_short_lengths(void **state)
{
    struct seal *s = open_key(key_a);
    char *a = seal_encrypt(s, "13812345678");
    char *b = seal_encrypt(s, "13812345678");
    char *c = seal_encrypt(s, "1");

    assert_string_not_equal(a, b);
    /* Padding to 32 bytes: every value up to 31 bytes has the same sealed length. */
    assert_int_equal(strlen(a), strlen(c));
    assert_int_equal(strlen(a), 101);
    free(a);
    free(b);
    free(c);
    seal_close(s);
}

static void seal_rejects_tampered_text(void **state)
{
    struct seal *s = open_key(key_a);
    char *sealed = seal_encrypt(s, "11010519491231002X"), *plain = NULL;
    size_t len = strlen(sealed);

    /* Every single-character change anywhere is caught (MAC, key id, base64 or prefix). */
    for (size_t i = 0; i < len; i++) {
        char saved = sealed[i];

        sealed[i] = saved == 'A' ? 'B' : 'A';
        assert_int_equal(seal_decrypt(s, sealed, &plain), SEAL_EINVAL);
        assert_null(plain);
        sealed[i] = saved;
    }
    sealed[len - 5] = '\0';
    assert_int_equal(seal_decrypt(s, sealed, &plain), SEAL_EINVAL);
    assert_int_equal(seal_decrypt(s, "v1:", &plain), SEAL_EINVAL);
    assert_int_equal(seal_decrypt(s, "13812345678", &plain), SEAL_EINVAL);
    assert_int_equal(seal_decrypt(s, "v1:!!!!", &plain), SEAL_EINVAL);
    assert_int_equal(seal_decrypt(s, NULL, &plain), SEAL_EINVAL);
    assert_null(plain);
    free(sealed);
    seal_close(s);
}

static void seal_rejects_wrong_key(void **state)
{
    struct seal *a = open_key(key_a);
    struct seal *b = open_key(key_b);
    char *sealed = seal_encrypt(a, "13812345678"), *plain = NULL;

    assert_int_equal(seal_decrypt(b, sealed, &plain), SEAL_EINVAL);
    assert_null(plain);
    assert_int_equal(seal_decrypt(a, sealed, &plain), SEAL_OK);
    free(plain);
    free(sealed);
    seal_close(a);
    seal_close(b);
}

static void seal_opens_old_keys_after_rotation(void **state)
{
    static const char rotated[] =
        "# old key first, the new one last\n"
        "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
        "\n"
        "7 f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101\n";
    struct seal *old = open_key(key_a);
    struct seal *cur = open_key(rotated);
    char *before = seal_encrypt(old, "13812345678"), *after = seal_encrypt(cur, "13812345678");
    char *plain = NULL;

    assert_int_equal(seal_current_key_id(old), 1);
    assert_int_equal(seal_current_key_id(cur), 7);
    assert_int_equal(seal_key_id(before), 1);
    assert_int_equal(seal_key_id(after), 7);
    assert_int_equal(seal_key_id("garbage"), -1);
    assert_int_equal(seal_decrypt(cur, before, &plain), SEAL_OK);
    assert_string_equal(plain, "13812345678");
    free(plain);
    /* The old file does not know key 7. */
    assert_int_equal(seal_decrypt(old, after, &plain), SEAL_EINVAL);
    free(before);
    free(after);
    seal_close(old);
    seal_close(cur);
}

static void seal_index_is_stable_per_kind_and_key(void **state)
{
    struct seal *a = open_key(key_a);
    struct seal *a2 = open_key(key_a);
    struct seal *b = open_key(key_b);
    char x[SEAL_INDEX_LEN], y[SEAL_INDEX_LEN], z[SEAL_INDEX_LEN];

    seal_index(a, "phone", "13812345678", x);
    seal_index(a2, "phone", "13812345678", y);
    assert_int_equal(strlen(x), 64);
    assert_int_equal(strspn(x, "0123456789abcdef"), 64);
    assert_string_equal(x, y);
    /* Same digits, other kind. */
    seal_index(a, "id", "13812345678", z);
    assert_string_not_equal(x, z);
    /* Same value, other key. */
    seal_index(b, "phone", "13812345678", z);
    assert_string_not_equal(x, z);
    /* Other value. */
    seal_index(a, "phone", "13812345679", z);
    assert_string_not_equal(x, z);
    /* The kind is delimited: "ph"+"one..." is not "phone"+"...". */
    seal_index(a, "ph", "one13812345678", z);
    assert_string_not_equal(x, z);
    seal_close(a);
    seal_close(a2);
    seal_close(b);
}

static void seal_index_is_keyed_blake2b_of_kind_and_value(void **state)
{
    /* Pins the documented construction, so indexes stay comparable across versions:
     * BLAKE2b-256 keyed with the "jiefenBI" subkey (never the "jiefenSB" one) over
     * kind, NUL, value. */
    unsigned char master[32], bi[32], sb[32], digest[32];
    char want[SEAL_INDEX_LEN], other[SEAL_INDEX_LEN], got[SEAL_INDEX_LEN];
    const unsigned char msg[] = "phone\0"
                                "13812345678";
    struct seal *a = open_key(key_a);

    for (int i = 0; i < 32; i++)
        master[i] = (unsigned char)i;
    assert_int_equal(crypto_kdf_derive_from_key(bi, 32, 1, "jiefenBI", master), 0);
    assert_int_equal(crypto_kdf_derive_from_key(sb, 32, 1, "jiefenSB", master), 0);
    crypto_generichash(digest, 32, msg, sizeof msg - 1, bi, 32);
    sodium_bin2hex(want, sizeof want, digest, 32);
    crypto_generichash(digest, 32, msg, sizeof msg - 1, sb, 32);
    sodium_bin2hex(other, sizeof other, digest, 32);
    seal_index(a, "phone", "13812345678", got);
    assert_string_equal(got, want);
    assert_string_not_equal(got, other);
    /* NULL kind and value count as "". */
    seal_index(a, "", "", want);
    seal_index(a, NULL, NULL, got);
    assert_string_equal(got, want);
    seal_close(a);
}

static void key_file_is_created_private(void **state)
{
    char path[128], err[256] = "";
    struct seal *s = NULL, *again = NULL;
    struct stat st;
    char x[SEAL_INDEX_LEN], y[SEAL_INDEX_LEN];

    snprintf(path, sizeof path, "%s/new.key", dir);
    unlink(path);
    /* Missing and not to be created: a clear error. */
    assert_int_equal(seal_open(&s, path, 0, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "cannot open key file"));
    assert_int_equal(seal_open(&s, path, 1, err, sizeof err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(seal_current_key_id(s), 1);
    /* Opening again reads the same key, not a new one. */
    assert_int_equal(seal_open(&again, path, 1, err, sizeof err), 0);
    seal_index(s, "id", "11010519491231002X", x);
    seal_index(again, "id", "11010519491231002X", y);
    assert_string_equal(x, y);
    seal_close(s);
    seal_close(again);
    /* No temporary file is left behind. */
    snprintf(err, sizeof err, "ls %s | grep -q '^new\\.key\\.'", dir);
    assert_int_not_equal(system(err), 0);
}

static void key_file_readable_by_others_is_refused(void **state)
{
    char err[256] = "";
    struct seal *s = NULL;
    const char *path = write_key("open.key", key_a, 0644);

    assert_int_equal(seal_open(&s, path, 1, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "chmod 600"));
    path = write_key("group.key", key_a, 0640);
    assert_int_equal(seal_open(&s, path, 0, err, sizeof err), -1);
    path = write_key("owner.key", key_a, 0400);
    assert_int_equal(seal_open(&s, path, 0, err, sizeof err), 0);
    seal_close(s);
}

static void key_file_must_be_well_formed(void **state)
{
    const char *bad[] = {
        "",
        "# only a comment\n",
        "1 0001020304\n",
        "0 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
        "256 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
        "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n",
        "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f extra\n",
        "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
        "1 f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101\n",
    };
    char err[256];
    struct seal *s = NULL;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(seal_open(&s, write_key("bad.key", bad[i], 0600), 0, err, sizeof err), -1);
        assert_null(s);
        assert_true(strlen(err) > 0);
    }
    /* A bare hex key (as from `openssl rand -hex 32`) with CRLF is key id 1. */
    assert_int_equal(
        seal_open(&s,
                  write_key("bare.key",
                            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\r\n",
                            0600),
                  0, err, sizeof err),
        0);
    assert_int_equal(seal_current_key_id(s), 1);
    seal_close(s);
}

static void id_numbers_need_their_check_digit(void **state)
{
    char out[SEAL_ID_LEN], small[18];
    const char *valid[] = {"11010519491231002X", "510703199001011237", "440304198510100010",
                           "11010119900307803X"};
    const char *invalid[] = {
        "110105194912310021",                       /* wrong check digit */
        "510703199001011238",  "11010519491231002", /* 17 characters */
        "11010519491231002XX",                      /* 19 */
        "1101051949123100X2",                       /* X not last */
        "11010519491231002Y",  "A10105194912310021", "", "11010519491231 002X",
    };

    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        assert_int_equal(seal_norm_id_number(valid[i], out, sizeof out), 0);
        assert_string_equal(out, valid[i]);
    }
    assert_int_equal(seal_norm_id_number("  11010519491231002x\n", out, sizeof out), 0);
    assert_string_equal(out, "11010519491231002X");
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        strcpy(out, "junk");
        assert_int_equal(seal_norm_id_number(invalid[i], out, sizeof out), -1);
        assert_string_equal(out, "");
    }
    assert_int_equal(seal_norm_id_number(NULL, out, sizeof out), -1);
    assert_int_equal(seal_norm_id_number("11010519491231002X", small, sizeof small), -1);
}

static void phones_normalise_to_digits(void **state)
{
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"+86 138 1234 5678", "13812345678"},  {"13812345678", "13812345678"},
        {"0086-138-1234-5678", "13812345678"}, {"+8613812345678", "13812345678"},
        {"138 1234-5678", "13812345678"},      {"028-12345678", "02812345678"},
        {"(0816) 2345678", "08162345678"},     {"010 8765 4321", "01087654321"},
        {"+86 28 1234 5678", "02812345678"},   {"0086 816 234 5678", "08162345678"},
        {"0816-23456789", "081623456789"},
    };
    const char *bad[] = {"",
                         "12345",
                         "23812345678",     /* mobiles start with 1 */
                         "12812345678",     /* 12x is no mobile prefix */
                         "138123456789",    /* 12 digits from 1 */
                         "1381234567",      /* 10 */
                         "12345678",        /* no area code */
                         "+1 415 555 1234", /* not +86 */
                         "138+12345678",
                         "138a12345678",
                         "00012345678",
                         "0281234567890123456789"};
    char out[SEAL_PHONE_LEN];

    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(seal_norm_phone(ok[i].in, out, sizeof out), 0);
        assert_string_equal(out, ok[i].out);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(seal_norm_phone(bad[i], out, sizeof out), -1);
        assert_string_equal(out, "");
    }
    assert_int_equal(seal_norm_phone("13812345678", out, 12), -1);
}

static void masks_hide_the_middle(void **state)
{
    char out[SEAL_MASK_LEN], tiny[8];

    assert_int_equal(seal_mask_id("510703199001011237", out, sizeof out), 0);
    assert_string_equal(out, "510703********1237");
    assert_int_equal(seal_mask_phone("13812345678", out, sizeof out), 0);
    assert_string_equal(out, "138****5678");
    assert_int_equal(seal_mask_phone("081623456789", out, sizeof out), 0);
    assert_string_equal(out, "081*****6789");
    /* Too short to keep both ends: all hidden. */
    assert_int_equal(seal_mask_phone("1234567", out, sizeof out), 0);
    assert_string_equal(out, "*******");
    assert_int_equal(seal_mask_id("1234567890", out, sizeof out), 0);
    assert_string_equal(out, "**********");
    /* Overlong values are cut to SEAL_MASK_STARS stars. */
    assert_int_equal(seal_mask_id("ABCDEF12345678901234567890WXYZ", out, sizeof out), 0);
    assert_string_equal(out, "ABCDEF************WXYZ");
    assert_int_equal(seal_mask_phone("13812345678", tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "");
    assert_int_equal(seal_mask_id(NULL, out, sizeof out), -1);
}

static void address_masks_count_characters(void **state)
{
    char out[SEAL_MASK_LEN], small[20];

    assert_int_equal(seal_mask_address("四川省绵阳市涪城区城厢街道东街12号", out, sizeof out), 0);
    assert_string_equal(out, "四川省绵阳市****");
    assert_int_equal(seal_mask_address("Chengdu, Sichuan", out, sizeof out), 0);
    assert_string_equal(out, "Chengd****");
    /* Short: at most half shown. */
    assert_int_equal(seal_mask_address("绵阳东街", out, sizeof out), 0);
    assert_string_equal(out, "绵阳****");
    assert_int_equal(seal_mask_address("东", out, sizeof out), 0);
    assert_string_equal(out, "****");
    assert_int_equal(seal_mask_address("", out, sizeof out), 0);
    assert_string_equal(out, "****");
    /* Rare ideographs outside the BMP are 4 bytes and still one character. */
    assert_int_equal(seal_mask_address("𠮷野家𠮷野家𠮷野家𠮷野家", out, sizeof out), 0);
    assert_string_equal(out, "𠮷野家𠮷野家****");
    /* A mask never splits a character: 6 ideographs and stars need 23 bytes. */
    assert_int_equal(seal_mask_address("四川省绵阳市涪城区城厢街道", small, sizeof small), -1);
    assert_string_equal(small, "");
    /* Invalid UTF-8 (a cut character, an overlong slash) is refused. */
    assert_int_equal(seal_mask_address("四川\xe7\xbb", out, sizeof out), -1);
    assert_int_equal(seal_mask_address("\xc0\xaf", out, sizeof out), -1);
    assert_int_equal(seal_mask_id("\xed\xa0\x80", out, sizeof out), -1);
}

/* Rotation: a reload makes a key added before the last line known (it opens, it does not
 * seal), then current once moved last; seal_index_other is the other key's index meanwhile. */
static void reload_swaps_keys_and_other_index_follows(void **state)
{
    static const char two[] =
        "2 f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101\n"
        "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    static const char promoted[] =
        "1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
        "2 f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101\n";
    struct seal *s = open_key(key_a);
    char err[256] = "", i1[SEAL_INDEX_LEN], i2[SEAL_INDEX_LEN], other[SEAL_INDEX_LEN];
    char *old = seal_encrypt(s, "13812345678"), *fresh, *plain = NULL;
    int ids[4];

    (void)state;
    seal_index(s, "phone", "13812345678", i1);
    seal_index_other(s, "phone", "13812345678", other);
    assert_string_equal(other, i1); /* one key: the same */
    assert_int_equal(seal_reload(s, write_key("k", "garbage\n", 0600), err, sizeof err), -1);
    assert_int_equal(seal_current_key_id(s), 1); /* a bad file keeps the keys */
    assert_int_equal(seal_reload(s, write_key("k", two, 0600), err, sizeof err), 0);
    assert_int_equal(seal_key_ids(s, ids, 4), 2);
    assert_int_equal(seal_current_key_id(s), 1);
    seal_index_other(s, "phone", "13812345678", i2);
    assert_string_not_equal(i2, i1);
    seal_index_oldest(s, "phone", "13812345678", other); /* key 1: the lowest id */
    assert_string_equal(other, i1);
    assert_int_equal(seal_reload(s, write_key("k", promoted, 0600), err, sizeof err), 0);
    assert_int_equal(seal_current_key_id(s), 2);
    seal_index(s, "phone", "13812345678", other);
    assert_string_equal(other, i2);
    seal_index_other(s, "phone", "13812345678", other);
    assert_string_equal(other, i1);
    seal_index_oldest(s, "phone", "13812345678", other); /* promoted: still key 1's */
    assert_string_equal(other, i1);
    fresh = seal_encrypt(s, "13812345678");
    assert_int_equal(seal_key_id(fresh), 2);
    assert_int_equal(seal_decrypt(s, old, &plain), SEAL_OK); /* the old key still opens */
    assert_string_equal(plain, "13812345678");
    free(plain);
    /* After retiring key 1 its values no longer open. */
    assert_int_equal(seal_reload(s, write_key("k", promoted + 67, 0600), err, sizeof err), 0);
    assert_int_equal(seal_decrypt(s, old, &plain), SEAL_EINVAL);
    assert_int_equal(seal_decrypt(s, fresh, &plain), SEAL_OK);
    free(plain);
    free(old);
    free(fresh);
    seal_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seal_round_trips_text),
        cmocka_unit_test(seal_uses_fresh_nonces_and_hides_short_lengths),
        cmocka_unit_test(seal_rejects_tampered_text),
        cmocka_unit_test(seal_rejects_wrong_key),
        cmocka_unit_test(seal_opens_old_keys_after_rotation),
        cmocka_unit_test(seal_index_is_stable_per_kind_and_key),
        cmocka_unit_test(seal_index_is_keyed_blake2b_of_kind_and_value),
        cmocka_unit_test(key_file_is_created_private),
        cmocka_unit_test(reload_swaps_keys_and_other_index_follows),
        cmocka_unit_test(key_file_readable_by_others_is_refused),
        cmocka_unit_test(key_file_must_be_well_formed),
        cmocka_unit_test(id_numbers_need_their_check_digit),
        cmocka_unit_test(phones_normalise_to_digits),
        cmocka_unit_test(masks_hide_the_middle),
        cmocka_unit_test(address_masks_count_characters),
    };

    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
