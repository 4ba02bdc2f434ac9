# jiefen: two commands matter.
#   make demo   install what is missing, build, load demo data, serve on :8080
#   make check  install what is missing, build with sanitizers, run every test
.SUFFIXES:

ifeq ($(origin CC),default)
CC = cc
endif
PKGS     = libmicrohttpd jansson sqlite3 libpq libsodium libzip expat xlsxwriter opencc libqrencode libcurl
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CSTD     = -std=c11 -D_GNU_SOURCE
INC      = -Isrc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
REL_FLAGS = -O2 -g
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

SRC_LIB  := $(sort $(wildcard src/core/*.c src/case/*.c src/store/*.c src/auth/*.c src/http/*.c src/api/*.c src/sheet/*.c src/seal/*.c src/text/*.c src/sched/*.c src/doc/*.c src/notify/*.c src/watch/*.c src/cli/cmd_*.c))
SRC_MAIN := src/cli/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJ  := $(SRC_LIB:%.c=build/obj/%.o)
SAN_OBJ  := $(SRC_LIB:%.c=build/san/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/san/%)

DB      ?= data/demo.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all demo check deps build san test unit api browser format lint clean bench
all: build

deps:
	@scripts/deps.sh

build: build/jiefen
san: build/san/jiefen $(UNIT_BIN)

build/jiefen: $(REL_OBJ) build/obj/$(SRC_MAIN:.c=.o)
	@echo "  LD      $@"
	@$(CC) $(REL_FLAGS) -o $@ $^ $(PKG_LIBS)

build/san/jiefen: $(SAN_OBJ) build/san/obj/$(SRC_MAIN:.c=.o)
	@echo "  LD san  $@"
	@$(CC) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

build/san/test_%: tests/unit/test_%.c tests/unit/unit.h $(SAN_OBJ)
	@echo "  LD san  $@"
	@$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) $(INC) -Itests/unit $(PKG_CFLAGS) -o $@ $< $(SAN_OBJ) $(PKG_LIBS) -lcmocka

build/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CSTD) $(WARN) $(REL_FLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/san/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC san  $<"
	@$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

-include $(REL_OBJ:.o=.d) $(SAN_OBJ:.o=.d)

demo: deps
	@$(MAKE) --no-print-directory build
	@mkdir -p $(dir $(DB))
	@build/jiefen demo --db $(DB) --cases 3000
	@build/jiefen serve --db $(DB) --listen $(LISTEN) --web web

check: deps
	@$(MAKE) --no-print-directory lint
	@# The release build too: -O2 sees warnings (-Werror) that the sanitizer build's -O1 does
	@# not, and `make demo` uses it.
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory san
	@tests/run.sh

lint:
	@scripts/lint.sh

# Not part of check: timings belong in bench/results, never in a test. BENCH_SIZES="10000
# 100000" (default) sets the register sizes; see bench/suite.sh.
bench:
	@scripts/deps.sh bench
	@bench/suite.sh

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h)

clean:
	rm -rf build
