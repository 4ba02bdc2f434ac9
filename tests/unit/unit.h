/* unit.h - what every cmocka test file includes. */
#ifndef JIEFEN_TESTS_UNIT_H
#define JIEFEN_TESTS_UNIT_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
